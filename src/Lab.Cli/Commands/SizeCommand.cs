using System.Globalization;
using Lab.Cluster;
using Lab.Experiments;
using Lab.Experiments.Results;
using Lab.Experiments.Running;
using Lab.Experiments.Sizing;
using Lab.Experiments.Validation;
using Lab.Experiments.Values;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary>
/// <c>lab size FILE --target 'commit_latency_s.p99&lt;=2s'</c>: for every point of the file's sweep, the
/// largest load that meets every target (see <see cref="Sizer"/>), written to
/// <c>results/&lt;experiment&gt;/size-&lt;stamp&gt;/</c> as sizing.csv, probes.csv, charts and report.html.
/// </summary>
public static class SizeCommand
{
    public static int Execute(CliApp app, string[] args, CancellationToken cancel)
    {
        var o = Options.Parse(args,
            new HashSet<string>(["--target", "--load", "--from", "--min", "--max", "--tolerance", "--set", "--seed", "--out", "--parallel", "--limit", .. ClusterOptions.Coordinator]),
            new HashSet<string> { "--quiet", "-q", "--help", "-h", "--in-process" });
        if (o.Has("--help") || o.Has("-h")) { Usage(app.Output); return ExitCode.Ok; }
        if (o.Positionals.Count != 1) throw new UsageException(o.Positionals.Count == 0 ? "size needs an experiment file" : "size takes one experiment file");
        var file = o.Positionals[0];
        var quiet = o.Has("--quiet") || o.Has("-q");
        var loadKey = o.Last("--load") ?? "workload.rate";
        var targets = new List<SizingTarget>();
        foreach (var t in o.All("--target"))
            targets.Add(SizingTarget.Parse(t, out var error) ?? throw new UsageException("--target " + error));
        if (targets.Count == 0) throw new UsageException("size needs at least one --target, e.g. --target 'commit_latency_s.p99<=2s'");
        var from = Load(o, "--from");
        var min = Load(o, "--min") ?? 1;
        var max = Load(o, "--max") ?? 1e6;
        var tolerance = Share(o.Last("--tolerance")) ?? 0.05;
        var parallel = o.Int("--parallel", 1, 1024) ?? Environment.ProcessorCount;
        var sets = o.All("--set").ToList();
        if (o.Last("--seed") is { } seed)
        {
            if (!ulong.TryParse(seed, out _) || seed.StartsWith('-')) throw new UsageException($"--seed: expected a whole number ≥ 0, got '{seed}'");
            sets.Add("seed=" + seed);
        }
        var cluster = ClusterOptions.ForCoordinator(o);

        var limits = LimitOptions.Parse(o);
        var loader = new ExperimentLoader(app.Registry, limits);
        var runner = new ExperimentRunner(app.Registry);
        var sizer = new Sizer(loader);
        var d = new Diagnostics(limits.Errors);
        Experiment? experiment;
        try { experiment = sizer.Prepare(file, sets, loadKey, d); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return app.Fail($"{file}: {e.Message}", ExitCode.Invalid); }
        if (experiment is null) { ValidateCommand.PrintErrors(app.Errors, d); return ExitCode.Invalid; }
        var integer = loader.Schema.Leaf(loadKey)!.Type == Lab.Experiments.Schema.KeyType.Integer;
        SearchOptions OptionsFor(PlannedPoint p)
        {
            var start = from ?? Sizer.StartOf(p, loadKey);
            var options = new SearchOptions(Math.Clamp(start, min, max), min, max, tolerance, Integer: integer);
            try { options.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            return options;
        }
        foreach (var p in experiment.Points) OptionsFor(p);

        var started = DateTimeOffset.UtcNow;
        if (!quiet)
            app.Output.MarkupLine($"[bold]{Markup.Escape(experiment.Name)}[/]: sizing {experiment.Points.Count} point(s) × {experiment.Replications} replication(s) per load, " +
                                  $"{Markup.Escape(loadKey)} against {Markup.Escape(string.Join(", ", targets.Select(t => t.Text)))}");
        SizingResult result;
        try
        {
            using var executor = cluster is null ? null : ClusterOptions.StartCoordinator(app, cluster.Value, quiet);
            // As lab run does: several runs at once in child processes, which stay for the next round of probes.
            using var local = new MachineExecutor(runner, app.Registry, parallel, o.Has("--in-process"), o.All("--limit"));
            IRunExecutor exec = executor is not null ? executor : local;
            result = sizer.Run(experiment, loadKey, targets, OptionsFor, exec, null, quiet ? null : line => app.Output.Profile.Out.Writer.WriteLine(line), cancel);
        }
        catch (OperationCanceledException) { return app.Fail($"interrupted ({app.InterruptedBy ?? "Ctrl-C"}): sizing stopped; nothing was written", ExitCode.Cancelled); }
        catch (Exception e) when (e is RunFailedException or SafetyViolationException) { return app.Fail(e.Message, ExitCode.RunFailed); }
        catch (ClusterUnavailableException e) { return app.Fail(e.Message, ExitCode.Invalid); }

        var folder = FolderFor(experiment, o.Last("--out") ?? "results", started);
        try
        {
            SizingReport.Write(result, folder,
            [
                new("experiment file", experiment.File),
                new("command", "lab size " + string.Join(" ", args)),
                new("lab version", LabBuild.Version),
                new("git commit", LabBuild.GitCommit ?? "unknown"),
                new("seed", experiment.Seed.ToString(CultureInfo.InvariantCulture)),
                new("runs", result.Runs.ToString(CultureInfo.InvariantCulture)),
                new("wall time", $"{(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s"),
            ]);
            File.WriteAllText(Path.Combine(folder, "experiment.yaml"), experiment.SourceText);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return app.Fail($"cannot write {folder}: {e.Message}", ExitCode.RunFailed); }
        if (!quiet)
        {
            foreach (var row in result.Rows) app.Output.Profile.Out.Writer.WriteLine("  " + SizingReport.Sentence(result, row));
            app.Output.MarkupLine($"[green]done[/]: {result.Runs} run(s) in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0}s; results:");
        }
        app.Output.Profile.Out.Writer.WriteLine(folder);
        return ExitCode.Ok;
    }

    private static string FolderFor(Experiment e, string root, DateTimeOffset started)
    {
        var stem = Path.Combine(Path.GetFullPath(root), e.Name, "size-" + started.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-seed" + e.Seed);
        var path = stem;
        for (int n = 2; Directory.Exists(path) || File.Exists(path); n++) path = $"{stem}-{n}";
        return path;
    }

    /// <summary>A load given on the command line: a rate (<c>500/s</c>) or a plain number.</summary>
    private static double? Load(Options o, string name)
    {
        if (o.Last(name) is not { } text) return null;
        if (text.Contains('/'))
            return Units.Rate(text, out var rate) is null && rate.PerSecond > 0 ? rate.PerSecond : throw new UsageException($"{name}: '{text}' is not a rate such as 500/s");
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)
            ? v : throw new UsageException($"{name}: expected a positive number or a rate such as 500/s, got '{text}'");
    }

    private static double? Share(string? text)
    {
        if (text is null) return null;
        var pct = text.EndsWith('%');
        if (!double.TryParse(pct ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) throw new UsageException($"--tolerance: expected a share such as 0.05 or 5%, got '{text}'");
        return pct ? v / 100 : v;
    }

    public static void Usage(IAnsiConsole c)
    {
        c.MarkupLine("[bold]lab size[/] FILE --target 'METRIC[[.STAT]]<=BOUND' [[--target ...]] [[options]]");
        c.WriteLine();
        c.WriteLine("For every point of the file's sweep (variant × sweep point), finds the largest load that meets every");
        c.WriteLine("target, by bracketing and bisection. A load passes only if the 95% interval over the file's replications");
        c.WriteLine("meets each bound (its upper end for <=, its lower end for >=). With a rate load, 'goodput>=0.95'");
        c.WriteLine("(transactions final / transactions submitted over the measured window) is added unless a goodput target is given.");
        c.WriteLine();
        var t = new Table().NoBorder().HideHeaders().AddColumn("").AddColumn("");
        t.AddRow("--target T", "e.g. commit_latency_s.p99<=2s, unavailable_s<=5s, goodput>=0.99 (repeatable; STAT: p50, p99.9, mean, min, max)");
        t.AddRow("--load KEY", "the key searched (default workload.rate; a rate or whole-number key)");
        t.AddRow("--from L", "first load probed (default: each point's own value)");
        t.AddRow("--min L / --max L", "loads probed stay within these (default 1 and 1000000)");
        t.AddRow("--tolerance S", "stop when the knee is located within this share (default 0.05)");
        t.AddRow("--set K=V, --seed N", "as for lab run");
        t.AddRow("--parallel N", "runs at once on this machine (default: all cores); 2 or more at once run in child processes, kept for every round");
        t.AddRow("--in-process", "keep parallel runs on threads of this one process instead");
        t.AddRow("--cluster-listen PORT", "hand the runs to workers instead (lab worker --join HOST:PORT); see lab worker --help");
        t.AddRow("--out DIR", "results root (default results)");
        c.Write(t);
        c.WriteLine();
        c.WriteLine("Example: lab size scenarios/sizing/consortium.yaml --target 'commit_latency_s.p99<=2s'");
    }
}
