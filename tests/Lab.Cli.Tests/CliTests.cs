using Lab.Cli;
using Lab.Reports;
using Spectre.Console;

namespace Lab.Cli.Tests;

public class CliTests
{
    internal static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Lab.sln"))) return d.FullName;
        throw new InvalidOperationException("Lab.sln not found");
    }

    private static IAnsiConsole Console(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(w),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });

    /// <summary>Runs lab with a stand-in report writer (the real one is tested in Lab.Reports).</summary>
    internal static (int Code, string Out, string Err) Lab(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        static void Report(ExperimentResult r, string folder, IReadOnlyList<KeyValuePair<string, string>> p) =>
            File.WriteAllText(Path.Combine(folder, "summary.json"), "{}");
        var code = new CliApp(Console(o), Console(e), interactive: false, report: Report).Run(args);
        return (code, o.ToString(), e.ToString());
    }

    public static TheoryData<string> BadFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(Root(), "tests", "Lab.Experiments.Tests", "BadInput"), "*.yaml").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Validate_exits_2_on_every_bad_file_and_run_creates_no_results(string name)
    {
        var file = Path.Combine(Root(), "tests", "Lab.Experiments.Tests", "BadInput", name);
        var (code, _, err) = Lab("validate", file);
        Assert.Equal(ExitCode.Invalid, code);
        // The error names the file at fault: the experiment itself, or the preset, trace or CDF it reads
        // (its place is the first line of the sidecar the BadInput test checks in full).
        var expected = File.ReadLines(Path.ChangeExtension(file, ".expected")).First();
        var place = expected[..expected.IndexOf(':')];
        Assert.Contains(Path.GetFileName(place) + ":", err);
        Assert.DoesNotContain("internal error", err);
        Assert.DoesNotContain("   at ", err);

        var outDir = Directory.CreateTempSubdirectory("lab-cli").FullName;
        var (runCode, _, _) = Lab("run", file, "--out", outDir, "--quiet");
        Assert.Equal(ExitCode.Invalid, runCode);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
        Directory.Delete(outDir, true);
    }

    [Fact]
    public void Validate_accepts_the_demo()
    {
        var (code, output, _) = Lab("validate", Path.Combine(Root(), "scenarios", "demo", "gossip.yaml"));
        Assert.Equal(ExitCode.Ok, code);
        Assert.Contains("ok ", output);
    }

    [Fact]
    public void Run_writes_a_results_folder_and_prints_its_path_last()
    {
        var outDir = Directory.CreateTempSubdirectory("lab-cli").FullName;
        var (code, output, err) = Lab("run", Path.Combine(Root(), "scenarios", "demo", "gossip.yaml"),
            "--set", "duration=4s", "--set", "faults=[]", "--set", "replications=2", "--seed", "5", "--out", outDir, "--parallel", "1");
        Assert.True(code == ExitCode.Ok, err);
        var last = output.TrimEnd().Split('\n')[^1].Trim();
        Assert.True(Directory.Exists(last), $"last line '{last}' is not a folder");
        Assert.StartsWith(Path.Combine(outDir, "gossip-partition"), last);
        foreach (var f in new[] { "experiment.yaml", "resolved.yaml", "manifest.json", "summary.json" })
            Assert.True(File.Exists(Path.Combine(last, f)), f);
        Assert.Contains("seed: 5", File.ReadAllText(Path.Combine(last, "resolved.yaml")));
        Assert.Contains("[2/2]", output);
        Directory.Delete(outDir, true);
    }

    [Fact]
    public void Quiet_run_prints_only_the_folder()
    {
        var outDir = Directory.CreateTempSubdirectory("lab-cli").FullName;
        var (code, output, _) = Lab("run", Path.Combine(Root(), "scenarios", "demo", "gossip.yaml"),
            "--set", "duration=2s", "--set", "faults=[]", "--set", "replications=1", "--out", outDir, "--quiet");
        Assert.Equal(ExitCode.Ok, code);
        Assert.Single(output.TrimEnd().Split('\n'));
        Directory.Delete(outDir, true);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("run")]
    [InlineData("run", "a.yaml", "--parallel", "zero")]
    [InlineData("run", "a.yaml", "--bogus")]
    [InlineData("list", "planets")]
    public void Bad_command_lines_exit_2_with_a_hint(params string[] args)
    {
        var (code, _, err) = Lab(args);
        Assert.Equal(ExitCode.Invalid, code);
        Assert.Contains("error:", err);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("run", "--help")]
    [InlineData("validate", "--help")]
    [InlineData("list", "--help")]
    [InlineData("verify", "--help")]
    public void Help_shows_usage_and_examples(params string[] args)
    {
        var (code, output, _) = Lab(args);
        Assert.Equal(ExitCode.Ok, code);
        Assert.Contains("Examples:", output);
    }

    [Fact]
    public void List_shows_protocols_networks_and_distributions()
    {
        var (code, output, _) = Lab("list");
        Assert.Equal(ExitCode.Ok, code);
        Assert.Contains("gossip", output);
        Assert.Contains("lognormal", output);
        Assert.Contains("rumour_latency_s", output);
    }

    [Fact]
    public void Bad_overrides_are_reported_against_the_option()
    {
        var demo = Path.Combine(Root(), "scenarios", "demo", "gossip.yaml");
        var (code, _, err) = Lab("validate", demo, "--set", "chain.nodes=abc", "--set", "chain.nodez=4", "--set", "oops");
        Assert.Equal(ExitCode.Invalid, code);
        Assert.Contains("--set chain.nodes=abc:1:1: chain.nodes: 'abc' is not a whole number", err);
        Assert.Contains("--set chain.nodez=4:1:1: chain.nodez: unknown key; did you mean 'chain.nodes'?", err);
        Assert.Contains("--set oops:1:1: expected key=value", err);
    }
}
