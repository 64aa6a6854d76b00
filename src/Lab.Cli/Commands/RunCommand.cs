using Lab.Experiments;
using Lab.Experiments.Results;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary><c>lab run FILE</c>: validate, run, write the results folder, print its path last.</summary>
public static class RunCommand
{
    public static int Execute(CliApp app, string[] args, CancellationToken cancel)
    {
        var o = Options.Parse(args, new HashSet<string> { "--set", "--seed", "--out", "--parallel" }, new HashSet<string> { "--quiet", "-q", "--help", "-h" });
        if (o.Has("--help") || o.Has("-h")) { Help.Run(app.Output); return ExitCode.Ok; }
        if (o.Positionals.Count != 1) throw new UsageException(o.Positionals.Count == 0 ? "run needs an experiment file" : "run takes one experiment file");
        var file = o.Positionals[0];
        var parallel = o.Int("--parallel", 1, 1024) ?? Environment.ProcessorCount;
        var quiet = o.Has("--quiet") || o.Has("-q");
        var sets = o.All("--set").ToList();
        if (o.Last("--seed") is { } seed)
        {
            if (!ulong.TryParse(seed, out _) || seed.StartsWith('-')) throw new UsageException($"--seed: expected a whole number ≥ 0, got '{seed}'");
            sets.Add("seed=" + seed);
        }
        var outRoot = o.Last("--out") ?? "results";

        var d = new Diagnostics();
        var experiment = ValidateCommand.Load(new ExperimentLoader(app.Registry), file, sets, d);
        if (experiment is null) { ValidateCommand.PrintErrors(app.Errors, d); return ExitCode.Invalid; }

        var runs = experiment.Points.Count * experiment.Replications;
        if (!quiet)
            app.Output.MarkupLine($"[bold]{Markup.Escape(experiment.Name)}[/]: {experiment.Points.Count} point(s) × {experiment.Replications} replication(s) = {runs} run(s), seed {experiment.Seed}, {Math.Min(parallel, runs)} at a time");
        var started = DateTimeOffset.UtcNow;
        ExperimentResultOrError outcome;
        var runner = new ExperimentRunner(app.Registry);
        if (!quiet && app.Interactive) outcome = LiveProgress.Run(app.Output, runs, p => runner.Run(experiment, parallel, p, cancel));
        else outcome = Capture(() => runner.Run(experiment, parallel, quiet ? null : new PlainProgress(app.Output, runs), cancel));

        var result = outcome.Result;
        if (!quiet && result is not null) Headline.Print(app.Output, result);
        string? stoppedBy = null;
        var exit = ExitCode.Ok;
        if (outcome.Error is ExperimentStoppedException stopped)
        {
            (stoppedBy, exit) = stopped.Reason switch
            {
                OperationCanceledException => ("interrupted (Ctrl-C)", ExitCode.Cancelled),
                SafetyViolationException => ("unexpected safety violation", ExitCode.SafetyViolated),
                _ => ("a run failed", ExitCode.RunFailed),
            };
            switch (stopped.Reason)
            {
                case OperationCanceledException:
                    app.Errors.MarkupLine("[yellow]interrupted[/]: stopped before all runs finished.");
                    break;
                case SafetyViolationException s:
                    app.Errors.MarkupLine($"[red]safety violated:[/] {Markup.Escape(s.Message)}");
                    break;
                case RunFailedException f:
                    app.Errors.MarkupLine($"[red]run failed:[/] {Markup.Escape(f.Message)}");
                    if (f.InnerException?.StackTrace is { } trace) app.Errors.Profile.Out.Writer.WriteLine(trace);
                    break;
            }
            result = stopped.Completed;
            if (result is null)
            {
                app.Errors.WriteLine("No variant/point finished all its replications; no results folder was written.");
                return exit;
            }
            app.Errors.WriteLine($"Keeping the {result.Points.Count} point(s) that finished, in a folder marked incomplete.");
        }

        string folder;
        try
        {
            folder = ResultStore.Write(experiment, result!, outRoot, new RunInfo(started, DateTimeOffset.UtcNow, parallel), app.Report, stoppedBy);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            app.Errors.MarkupLine($"[red]writing the results failed:[/] {Markup.Escape(e.GetType().Name + ": " + e.Message)}");
            return ExitCode.RunFailed;
        }
        if (stoppedBy is not null)
        {
            app.Output.Profile.Out.Writer.WriteLine(folder);
            return exit;
        }
        if (!quiet) app.Output.MarkupLine($"[green]done[/] in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0}s; results:");
        app.Output.Profile.Out.Writer.WriteLine(folder);
        return ExitCode.Ok;
    }

    public sealed record ExperimentResultOrError(Lab.Reports.ExperimentResult? Result, Exception? Error);

    public static ExperimentResultOrError Capture(Func<Lab.Reports.ExperimentResult> run)
    {
        try { return new(run(), null); }
        catch (ExperimentStoppedException e) { return new(null, e); }
    }
}
