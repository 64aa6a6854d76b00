using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Lab.Experiments.Yaml;
using Lab.Sim.Kernel;

namespace Lab.Experiments.Tests;

/// <summary>
/// Whatever the file holds, validation ends in an experiment or in located errors: never an exception,
/// never an "internal error", never minutes of work; and a file it accepts runs without failing.
/// </summary>
// One fixed seed (the run that found the overflow of chain.cpu.hash-per-kb: 3650d), so that CI gives the same verdict
// every time. To look for new inputs, run these with another seed or without Replay; what they find goes into BadInput/.
[Properties(Replay = "(17951840900326766790,11049404055202545749)")]
public partial class RobustnessProperties
{
    private static readonly string Demo = File.ReadAllText(Path.Combine(TestModels.RepositoryRoot(), "scenarios", "demo", "gossip.yaml"));
    private static readonly string Folder = Directory.CreateTempSubdirectory("lab-fuzz").FullName;

    private const string Alphabet = "abc:-[]{}(),# \n\t0123456789%\"'&*!|>";

    private static bool LoadsOrExplains(string text)
    {
        var file = Path.Combine(Folder, $"f{Environment.CurrentManagedThreadId}.yaml");
        File.WriteAllText(file, text);
        var d = new Diagnostics();
        var e = new ExperimentLoader(TestModels.Registry).Load(file, [], d);
        // YAML breaks lines at CR, LF and CR LF (an editor does too): "[a\r\r" has its error on line 3.
        var lines = text.Split(["\r\n", "\r", "\n"], StringSplitOptions.None).Length;
        return e is not null
            ? !d.HasErrors
            : d.HasErrors && d.Errors.All(x => x.Mark.Line >= 0 && x.Mark.Line <= lines + 1 && x.Message.Length > 0);
    }

    [Property(MaxTest = 300)]
    public bool Random_edits_of_the_demo_never_crash_validation(int[] positions, char[] replacements)
    {
        var chars = Demo.ToCharArray().ToList();
        for (int i = 0; i < Math.Min(positions.Length, replacements.Length) && chars.Count > 0; i++)
        {
            var at = Math.Abs(positions[i] % chars.Count);
            if (replacements[i] % 3 == 0) chars.RemoveAt(at);
            else chars[at] = Alphabet[replacements[i] % Alphabet.Length];
        }
        return LoadsOrExplains(new string([.. chars]));
    }

    [Theory]
    [InlineData("[a\r\r")]      // FsCheck found it: the error is on line 3 by YAML's line breaks, the file has one '\n' line
    [InlineData("[a\r\n\r\n")]
    public void Errors_are_located_by_yaml_line_breaks(string text) => Assert.True(LoadsOrExplains(text));

    [Property(MaxTest = 200)]
    public bool Arbitrary_text_never_crashes_validation(NonNull<string> text) => LoadsOrExplains(text.Get);

    [Property(MaxTest = 100)]
    public bool Dropping_lines_of_the_demo_never_crashes_validation(int[] drop)
    {
        var lines = Demo.Split('\n').ToList();
        foreach (var k in drop.Take(5)) if (lines.Count > 0) lines.RemoveAt(Math.Abs(k % lines.Count));
        return LoadsOrExplains(string.Join('\n', lines));
    }

    // ---- mutations of the ready files ----

    /// <summary>Every ready experiment file (scenarios/**/*.yaml), with the folder it lives in (presets and traces are found from there).</summary>
    private static readonly string[] Ready = [.. Directory.GetFiles(Path.Combine(TestModels.RepositoryRoot(), "scenarios"), "*.yaml", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}presets{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)];

    /// <summary>Values at and beyond the edges of what keys accept, in every unit and shape.</summary>
    private static readonly string[] Hostile =
    [
        "0", "-1", "1", "2", "1e308", "-1e308", "NaN", "-0", "1e-300", "99999999999999999999", "2147483648", "4294967296",
        "0s", "-5ms", "1ns", "1e308s", "3650d", "3651d", "1h", "0ms", "0B", "3GB", "0bps", "1bps", "0/s", "1e13/s", "-1/s",
        "0%", "150%", "-1%", "0x", "1e308x", "100x", "~", "\"\"", "[]", "{}", "[[[]]]", "[a, b]", "{ a: 1 }", "&x 5", "true", "yes",
        "9999-12-31T23:59+08:00", "1969-12-31T00:00Z", "not a date", "/dev/zero", "/etc/passwd", "../../../../etc", "n99", "leader", "all", "30%",
        "lognormal(median: 20ms, sigma: 1000)", "lognormal(sigma: 0)", "uniform(5ms, 1ms)", "uniform(-1ms, 1ms)", "pareto(scale: 1ms, shape: 0.01)",
        "pareto(scale: 10ms, shape: 2)", "normal(mean: -1s, sd: 1ms)", "normal(mean: 0s, sd: 1h)", "exponential(mean: 0s)", "exponential(rate: 1e-9/s)",
        "gamma(shape: 1e-9, scale: 1ms)", "constant(1e308)", "empirical(file: /dev/null)", "empirical(file: /etc/passwd)", "lognormal(sigma: 1, sigma: 2)",
        "poisson(rate: 0/s)", "constant(rate: 1e12/s)", "T+99", "T-1", "25:61", "mars", "securities", "pbft", "raft", "pow", "gossip",
    ];

    private static readonly string[] KnownKeys = [.. new ExperimentLoader(TestModels.Registry).Schema.Keys.Where(k => !k.ItemKey && k.Path is not ("variants" or "sweep" or "verify")).Select(k => k.Path)];

    /// <summary>One mutation, drawn from integers FsCheck shrinks well.</summary>
    public sealed record Mutation(int Kind, int Where, int Value, int Scale);

    public static Arbitrary<Mutation[]> Mutations() =>
        Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(
            Gen.Choose(0, 5).SelectMany(kind => Gen.Choose(0, 10_000).SelectMany(where => Gen.Choose(0, 10_000).SelectMany(value =>
                Gen.Choose(0, 7).Select(scale => new Mutation(kind, where, value, scale))))), n)).ToArbitrary();

    private static readonly double[] Scales = [0, -1, 10, 1000, 1e-3, 1e6, 1e300, 0.5];

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")]
    private static partial Regex LeadingNumber();

    /// <summary>Applies the mutations to the tree of a ready file; the result is written back as YAML text.</summary>
    private static string Mutate(YMapping root, IReadOnlyList<Mutation> mutations)
    {
        var tree = root;
        foreach (var m in mutations) tree = (YMapping)Apply(tree, m);
        var sb = new StringBuilder();
        foreach (var (k, v) in tree.Entries) YamlWriter.WriteEntry(sb, k.Value, v, 0);
        return sb.ToString();
    }

    private static YNode Apply(YMapping root, Mutation m)
    {
        var nodes = new List<YNode>();
        void Walk(YNode n)
        {
            nodes.Add(n);
            switch (n)
            {
                case YSequence s: foreach (var i in s.Items) Walk(i); break;
                case YMapping map: foreach (var (_, v) in map.Entries) Walk(v); break;
            }
        }
        Walk(root);
        var target = nodes[m.Where % nodes.Count];
        var mark = new SourceMark("", 0, 0);
        YNode Replacement(YNode old) => m.Kind switch
        {
            0 or 1 => Parse(Hostile[m.Value % Hostile.Length]),
            2 when old is YScalar s && LeadingNumber().Match(s.Value) is { Success: true } num
                && double.TryParse(num.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) =>
                new YScalar(mark, (x * Scales[m.Scale]).ToString("R", CultureInfo.InvariantCulture) + s.Value[num.Length..]),
            _ => old,
        };
        return m.Kind switch
        {
            // Delete an entry of a mapping, or an item of a list.
            3 => Rebuild(root, target, n => n switch
            {
                YMapping map when map.Entries.Count > 0 => map with { Entries = [.. map.Entries.Where((_, i) => i != m.Value % map.Entries.Count)] },
                YSequence seq when seq.Items.Count > 0 => seq with { Items = [.. seq.Items.Where((_, i) => i != m.Value % seq.Items.Count)] },
                _ => n,
            }),
            // Add a known key (somewhere it may not belong) with a hostile value.
            4 => root with { Entries = [.. root.Entries, new(new YScalar(mark, KnownKeys[m.Value % KnownKeys.Length]), Parse(Hostile[m.Scale * 13 % Hostile.Length]))] },
            // Give a key of the file a second value at the top level (dotted form of a nested key).
            5 => root with { Entries = [.. root.Entries, new(new YScalar(mark, KnownKeys[(m.Value + m.Where) % KnownKeys.Length]), Parse(Hostile[m.Value % Hostile.Length]))] },
            // The file stays a mapping: only what is inside it is replaced.
            _ => ReferenceEquals(target, root) ? root : Rebuild(root, target, Replacement),
        };
    }

    private static YNode Parse(string text) => YamlReader.Read("pool", text, new Diagnostics()) ?? new YScalar(new SourceMark("", 0, 0), text);

    /// <summary>The tree with <paramref name="target"/> (found by reference) replaced.</summary>
    private static YNode Rebuild(YNode node, YNode target, Func<YNode, YNode> replace)
    {
        if (ReferenceEquals(node, target)) return replace(node);
        return node switch
        {
            YSequence s => s with { Items = [.. s.Items.Select(i => Rebuild(i, target, replace))] },
            YMapping map => map with { Entries = [.. map.Entries.Select(e => new KeyValuePair<YScalar, YNode>(e.Key, Rebuild(e.Value, target, replace)))] },
            _ => node,
        };
    }

    private static readonly Dictionary<string, string> Mirrors = [];

    /// <summary>
    /// A temporary folder that links to everything beside <paramref name="source"/>: a mutant written there
    /// finds the presets, traces and CDFs the original names, and nothing is written into the repository.
    /// </summary>
    private static string Beside(string source)
    {
        var dir = Path.GetDirectoryName(source)!;
        lock (Mirrors)
        {
            if (Mirrors.TryGetValue(dir, out var mirror)) return mirror;
            mirror = Directory.CreateDirectory(Path.Combine(Folder, "mirror-" + Mirrors.Count)).FullName;
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
            {
                var link = Path.Combine(mirror, Path.GetFileName(entry));
                if (Directory.Exists(entry)) Directory.CreateSymbolicLink(link, entry);
                else File.CreateSymbolicLink(link, entry);
            }
            return Mirrors[dir] = mirror;
        }
    }

    /// <summary>
    /// Mutants per test run: enough to cover every ready file a few times in CI (about 10 s). Locally, raise it
    /// to hunt: 5,000 mutants (about 1 in 6 accepted and run) found the two rules now in validation.
    /// </summary>
    private const int MutantsPerRun = 80;

    /// <summary>
    /// Random mutations of the ready files (values replaced by hostile ones, numbers scaled by 0, −1, 10³,
    /// 10⁶, 10³⁰⁰, keys deleted, keys added): validation never throws, never reports an internal error,
    /// never runs away, and a file it accepts runs (its first run, capped at 20,000 events) without
    /// an exception — a run that fails is a rule validation should have known.
    /// </summary>
    [Property(MaxTest = MutantsPerRun, Arbitrary = [typeof(RobustnessProperties)])]
    [Trait("Category", "Slow")]
    public void Mutated_ready_files_validate_quickly_and_run_when_accepted(PositiveInt pick, Mutation[] mutations)
    {
        var source = Ready[pick.Get % Ready.Length];
        var root = (YMapping)YamlReader.Read(source, File.ReadAllText(source), new Diagnostics())!;
        var text = Mutate(root, mutations);
        var file = Path.Combine(Beside(source), $"fuzz-{Environment.CurrentManagedThreadId}.yaml");
        try
        {
            File.WriteAllText(file, text);
            var d = new Diagnostics();
            var clock = Stopwatch.StartNew();
            Experiment? e;
            try { e = new ExperimentLoader(TestModels.Registry).Load(file, ["max-events=20000"], d); }
            catch (Exception ex) { throw new Xunit.Sdk.XunitException($"validation threw {ex.GetType().Name}: {ex.Message}\n--- {source} mutated:\n{text}"); }
            var took = clock.Elapsed;
            // A guard against runaway validation (a mutant that makes it explode), not a speed claim: the
            // machine may be shared, so the bound is far above the few seconds a quiet machine takes.
            Assert.True(took < TimeSpan.FromSeconds(60), $"validation took {took.TotalSeconds:0.0}s\n--- {source} mutated:\n{text}");
            if (e is null)
            {
                Assert.True(d.HasErrors);
                Assert.DoesNotContain(d.Errors, x => x.Message.Contains("internal error", StringComparison.Ordinal));
                return;
            }
            var runner = new ExperimentRunner(TestModels.Registry);
            foreach (var run in new[] { e.Runs[0], e.Runs[^1] }.Distinct())
            {
                try { runner.RunOne(e, run, ExecutionMode.Sequential, null, CancellationToken.None); }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    throw new Xunit.Sdk.XunitException($"validation accepted a file whose run failed: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}\n--- {source} mutated:\n{text}");
                }
            }
        }
        finally { File.Delete(file); }
    }
}
