using Lab.Experiments;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Lab.Experiments.Verification;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary>
/// <c>lab verify [FILE|FOLDER...] [--full]</c>: runs experiment files that carry a <c>verify:</c>
/// section and compares each check with its expected value. Without arguments it runs the quick set of
/// <c>scenarios/validation/</c>. Exit 0: every check passed; 1: a check missed (or a run failed);
/// 2: invalid input (a bad file, a check naming a metric the run does not report).
/// </summary>
public static class VerifyCommand
{
    public const string DefaultFolder = "scenarios/validation";

    public static int Execute(CliApp app, string[] args, CancellationToken cancel)
    {
        var o = Options.Parse(args, new HashSet<string> { "--parallel", "--limit" }, new HashSet<string> { "--full", "--help", "-h" });
        if (o.Has("--help") || o.Has("-h")) { Help.Verify(app.Output); return ExitCode.Ok; }
        var full = o.Has("--full");
        var parallel = o.Int("--parallel", 1, 1024) ?? Environment.ProcessorCount;
        var files = Files(o.Positionals, full, out var skipped);

        // Load everything first: a mistake in any file stops the whole suite before anything runs.
        var limits = LimitOptions.Parse(o);
        var loader = new ExperimentLoader(app.Registry, limits);
        var experiments = new List<(string File, Experiment Experiment)>();
        var d = new Diagnostics(limits.Errors);
        foreach (var file in files)
        {
            var e = ValidateCommand.Load(loader, file, [], d);
            if (e is null) continue;
            if (e.Verify is null)
                d.Error(new Lab.Experiments.Yaml.SourceMark(file, 1, 1), "verify", "this experiment has no verify: section, so there is nothing to check (see scenarios/validation/ for examples)");
            else experiments.Add((file, e));
        }
        if (d.HasErrors) { ValidateCommand.PrintErrors(app.Errors, d); return ExitCode.Invalid; }

        var w = app.Output.Profile.Out.Writer;
        var suiteStart = DateTimeOffset.UtcNow;
        int passed = 0, failed = 0, invalid = 0;
        var missed = new List<string>();
        foreach (var (file, experiment) in experiments)
        {
            var runs = experiment.Points.Count * experiment.Replications;
            var checks = experiment.Verify!.Checks.Count;
            app.Output.MarkupLine($"[bold]{Markup.Escape(file)}[/] ({Markup.Escape(experiment.Name)}): {checks} check(s), {runs} run(s)");
            var started = DateTimeOffset.UtcNow;
            Lab.Reports.ExperimentResult result;
            try { result = new ExperimentRunner(app.Registry).Run(experiment, parallel, null, cancel); }
            catch (ExperimentStoppedException stopped)
            {
                if (stopped.Reason is OperationCanceledException)
                {
                    app.Errors.MarkupLine("[yellow]interrupted[/]: stopped before all checks ran.");
                    return ExitCode.Cancelled;
                }
                app.Errors.MarkupLine($"[red]run failed:[/] {Markup.Escape(stopped.Reason.Message)}");
                failed += checks;
                missed.Add($"{file}: the run failed, so none of its {checks} check(s) could pass");
                continue;
            }
            var results = Verifier.Evaluate(experiment, result);
            Print(app.Output, results);
            foreach (var r in results)
            {
                switch (r.Outcome)
                {
                    case CheckOutcome.Pass: passed++; break;
                    case CheckOutcome.Fail:
                        failed++;
                        missed.Add($"{r.Check.Mark}: {r.Check.Claim}: {r.Note}");
                        break;
                    default:
                        invalid++;
                        app.Errors.Profile.Out.Writer.WriteLine($"{r.Check.MetricMark}: {r.Check.Path}.metric: {r.Note}");
                        break;
                }
            }
            w.WriteLine($"  done in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0}s");
            w.WriteLine();
        }

        var total = passed + failed + invalid;
        var elapsed = (DateTimeOffset.UtcNow - suiteStart).TotalSeconds;
        var skippedNote = skipped > 0 ? $"; {skipped} full-only file(s) skipped (--full runs them)" : "";
        if (failed == 0 && invalid == 0)
        {
            app.Output.MarkupLine($"[green]verify: all {total} checks passed[/] in {experiments.Count} file(s), {elapsed:0.0}s{Markup.Escape(skippedNote)}");
            return ExitCode.Ok;
        }
        foreach (var m in missed) app.Errors.Profile.Out.Writer.WriteLine("missed: " + m);
        app.Errors.MarkupLine($"[red]verify: {failed} of {total} checks missed[/]" + (invalid > 0 ? $", {invalid} could not be evaluated" : "") + $" in {experiments.Count} file(s), {elapsed:0.0}s{Markup.Escape(skippedNote)}");
        return invalid > 0 ? ExitCode.Invalid : ExitCode.RunFailed;
    }

    /// <summary>
    /// The files to run: each FILE as named; each FOLDER's *.yaml in name order, only the quick set
    /// unless <paramref name="full"/>. No argument: <see cref="DefaultFolder"/> of the repository.
    /// </summary>
    private static List<string> Files(IReadOnlyList<string> given, bool full, out int skipped)
    {
        skipped = 0;
        var args = given.ToList();
        if (args.Count == 0)
        {
            var root = SchemaCommand.RepositoryRoot()
                ?? throw new UsageException($"no {DefaultFolder}/ here: run 'lab verify' inside the repository or name the files");
            args.Add(Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(root, DefaultFolder)));
        }
        var files = new List<string>();
        foreach (var a in args)
        {
            if (!Directory.Exists(a)) { files.Add(a); continue; }
            foreach (var f in Directory.GetFiles(a, "*.yaml").Order(StringComparer.Ordinal))
            {
                if (!full && IsFullOnly(f)) { skipped++; continue; }
                files.Add(f);
            }
        }
        if (files.Count == 0) throw new UsageException("no experiment files to verify" + (skipped > 0 ? " in the quick set (add --full)" : ""));
        return files;
    }

    /// <summary>Reads only the suite, so full-only files are skipped without loading them.</summary>
    private static bool IsFullOnly(string file)
    {
        var d = new Diagnostics();
        var root = Lab.Experiments.Yaml.YamlReader.Read(file, File.ReadAllBytes(file), d) as Lab.Experiments.Yaml.YMapping;
        return root?[VerifyParser.Section] is Lab.Experiments.Yaml.YMapping v && v["suite"] is Lab.Experiments.Yaml.YScalar { Value: VerifySpec.Full };
    }

    /// <summary>The table, with each distinct source printed once below it and referred to by number.</summary>
    private static void Print(IAnsiConsole output, IReadOnlyList<CheckResult> results)
    {
        var sources = results.Select(r => r.Check.Source).Distinct().ToList();
        var t = new Table().Border(TableBorder.Simple)
            .AddColumn("").AddColumn("check").AddColumn("metric").AddColumn("expected").AddColumn("measured").AddColumn("tolerance").AddColumn("source");
        foreach (var r in results)
        {
            var c = r.Check;
            var mark = r.Outcome switch { CheckOutcome.Pass => "[green]pass[/]", CheckOutcome.Fail => "[red]FAIL[/]", _ => "[red]INVALID[/]" };
            var point = c.At.Label + (c.Other is null ? "" : (c.Combination == Combination.Minus ? " minus " : " over ") + c.Other.Label);
            var metric = $"{c.Statistic} of {c.Metric.Text}" + (point.Length > 0 ? $" at {point}" : "");
            var measured = Markup.Escape(r.Measured) + (r.Note.Length > 0 ? $"\n[red]{Markup.Escape(r.Note)}[/]" : "");
            t.AddRow(mark, Markup.Escape(c.Claim), Markup.Escape(metric), Markup.Escape(r.Expected), measured, Markup.Escape(r.Allowed), $"[[{sources.IndexOf(c.Source) + 1}]]");
        }
        output.Write(t);
        var w = output.Profile.Out.Writer;
        for (int i = 0; i < sources.Count; i++) w.WriteLine($"  [{i + 1}] {sources[i]}");
    }
}
