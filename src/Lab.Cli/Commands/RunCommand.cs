using Lab.Cluster;
using Lab.Experiments;
using Lab.Experiments.Results;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary>
/// <c>lab run FILE</c>: validate, make the results folder (before anything runs, so a folder that
/// cannot be written is found at once), run while keeping each finished run in it, assemble the
/// results, print the folder's path last. <c>lab run --resume DIR</c> finishes an interrupted or
/// crashed folder: it runs only what is missing.
/// </summary>
public static class RunCommand
{
    public static int Execute(CliApp app, string[] args, CancellationToken cancel)
    {
        var o = Options.Parse(args, new HashSet<string>(["--set", "--seed", "--out", "--parallel", "--resume", "--limit", .. ClusterOptions.Coordinator]), new HashSet<string> { "--quiet", "-q", "--help", "-h", "--in-process" });
        if (o.Has("--help") || o.Has("-h")) { Help.Run(app.Output); return ExitCode.Ok; }
        var parallel = o.Int("--parallel", 1, 1024) ?? Environment.ProcessorCount;
        var quiet = o.Has("--quiet") || o.Has("-q");
        var limits = LimitOptions.Parse(o);
        var resume = o.Last("--resume");
        var cluster = ClusterOptions.ForCoordinator(o);

        string file;
        List<string> sets;
        if (resume is not null)
        {
            if (o.Positionals.Count > 0 || o.Has("--set") || o.Has("--seed") || o.Has("--out"))
                throw new UsageException("--resume DIR takes the experiment file, its --set values and the output folder from DIR; give no FILE, --set, --seed or --out with it");
            ResultFolder.ResumeSource source;
            try { source = ResultFolder.ReadSource(resume); }
            catch (ResultFolderException e) { return app.Fail(e.Message, ExitCode.Invalid); }
            if (!File.Exists(source.FilePath))
                return app.Fail($"{source.FilePath}, the experiment file {resume} was started from, is gone (its text is in {Path.Combine(resume, "experiment.yaml")})", ExitCode.Invalid);
            // Name the file as it was named if that still leads to it from here, else by its full path.
            file = Path.GetFullPath(source.File) == source.FilePath ? source.File : source.FilePath;
            sets = [.. source.Overrides];
        }
        else
        {
            if (o.Positionals.Count != 1) throw new UsageException(o.Positionals.Count == 0 ? "run needs an experiment file" : "run takes one experiment file");
            file = o.Positionals[0];
            sets = [.. o.All("--set")];
            if (o.Last("--seed") is { } seed)
            {
                if (!ulong.TryParse(seed, out _) || seed.StartsWith('-')) throw new UsageException($"--seed: expected a whole number ≥ 0, got '{seed}'");
                sets.Add("seed=" + seed);
            }
        }

        var runner = new ExperimentRunner(app.Registry);
        using var local = new MachineExecutor(runner, app.Registry, parallel, o.Has("--in-process"), o.All("--limit"));
        var d = new Diagnostics(limits.Errors);
        // A new run's child processes start as soon as the number of runs is known, and load the experiment while it is checked here.
        var loader = new ExperimentLoader(app.Registry, limits) { Counted = resume is null && cluster is null ? n => local.WarmUp(n, file, sets) : null };
        var experiment = ValidateCommand.Load(loader, file, sets, d);
        if (experiment is null) { ValidateCommand.PrintErrors(app.Errors, d); return ExitCode.Invalid; }

        var started = DateTimeOffset.UtcNow;
        var session = new ResultFolder.Session(started, parallel);
        ResultFolder folder;
        try
        {
            folder = resume is not null
                ? ResultFolder.Resume(resume, experiment, session, app.Files)
                : ResultFolder.Create(experiment, o.Last("--out") ?? "results", sets, session, app.Files);
        }
        catch (ResultFolderException e) { return app.Fail(e.Message + "; nothing was run", ExitCode.Invalid); }
        foreach (var note in folder.Discarded) app.Errors.Profile.Out.Writer.WriteLine("note: " + note);

        var runs = experiment.Points.Count * experiment.Replications;
        var already = folder.FinishedRuns;
        if (!quiet)
            app.Output.MarkupLine($"[bold]{Markup.Escape(experiment.Name)}[/]: {experiment.Points.Count} point(s) × {experiment.Replications} replication(s) = {runs} run(s)" +
                                  (already > 0 ? $", {already} already finished" : "") + $", seed {experiment.Seed}, " + (cluster is null ? $"{Math.Min(parallel, Math.Max(1, runs - already))} at a time" : "on the cluster's workers"));
        ExperimentResultOrError outcome;
        if (cluster is not null)
        {
            // The same runner, journal and assembly as a local run; only where the runs execute differs.
            ClusterRunExecutor executor;
            try { executor = ClusterOptions.StartCoordinator(app, cluster.Value, quiet); }
            catch (ClusterUnavailableException e)
            {
                try { folder.Stop(null, "the cluster could not start", app.Report, DateTimeOffset.UtcNow); }
                catch (ResultFolderException) { }
                return app.Fail(e.Message + "; nothing was run", ExitCode.Invalid);
            }
            using (executor)
                outcome = Capture(() => runner.Run(experiment, executor, quiet ? null : new ClusterProgress(app.Output, runs, already, executor), cancel, folder));
        }
        else if (!quiet && app.Interactive) outcome = LiveProgress.Run(app.Output, runs, already, p => runner.Run(experiment, local, p, cancel, folder, Rehearse));
        else outcome = Capture(() => runner.Run(experiment, local, quiet ? null : new PlainProgress(app.Output, runs, already), cancel, folder, Rehearse));

        if (outcome.Error is ResultFolderException or ExperimentStoppedException { Reason: ResultFolderException })
        {
            var broken = outcome.Error as ResultFolderException ?? (ResultFolderException)((ExperimentStoppedException)outcome.Error).Reason;
            // Say in the manifest why it stopped, if the disk still lets us; the folder's name already says incomplete.
            try { folder.Stop(null, "writing results failed", app.Report, DateTimeOffset.UtcNow); }
            catch (ResultFolderException) { }
            return app.Fail($"{broken.Message}; the runs that finished are kept: resume with 'lab run --resume {folder.Path}' once that is fixed", ExitCode.RunFailed);
        }
        if (outcome.Error is ExperimentStoppedException stopped) return Stopped(app, folder, stopped, quiet);

        var result = outcome.Result!;
        // The headline is known as soon as the runs are assembled: say it now, not after the charts and the report are
        // drawn (seconds). If the terminal has gone (SIGHUP), the results are still written below.
        if (!quiet)
        {
            try { Headline.Print(app.Output, result); }
            catch (IOException) { }
        }
        string path;
        try { path = folder.Complete(result, app.Report, DateTimeOffset.UtcNow); }
        catch (ResultFolderException e)
        {
            return app.Fail($"{e.Message}; the runs are kept: resume with 'lab run --resume {folder.Path}' once that is fixed", ExitCode.RunFailed);
        }
        if (!quiet) app.Output.MarkupLine($"[green]done[/] in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0}s; results:");
        app.Output.Profile.Out.Writer.WriteLine(path);
        return ExitCode.Ok;
    }

    /// <summary>The headline and the report drawn once from the points finished so far, and thrown away (see the
    /// <c>rehearse</c> parameter of <see cref="ExperimentRunner"/>'s <c>Run</c>).</summary>
    private static void Rehearse(Lab.Reports.ExperimentResult partial)
    {
        Headline.Print(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), partial);
        Lab.Reports.ReportWriter.Rehearse(partial);
    }

    private static int Stopped(CliApp app, ResultFolder folder, ExperimentStoppedException stopped, bool quiet)
    {
        var (stoppedBy, exit) = stopped.Reason switch
        {
            OperationCanceledException => ($"interrupted ({app.InterruptedBy ?? "Ctrl-C"})", ExitCode.Cancelled),
            SafetyViolationException => ("unexpected safety violation", ExitCode.SafetyViolated),
            _ => ("a run failed", ExitCode.RunFailed),
        };
        string path;
        try { path = folder.Stop(stopped.Completed, stoppedBy, app.Report, DateTimeOffset.UtcNow); }
        catch (ResultFolderException e)
        {
            app.Fail(e.Message, exit);
            path = folder.Path;
        }
        switch (stopped.Reason)
        {
            case OperationCanceledException:
                app.Errors.MarkupLine($"[yellow]interrupted[/] ({Markup.Escape(app.InterruptedBy ?? "Ctrl-C")}): stopped before all runs finished.");
                break;
            case SafetyViolationException s:
                app.Errors.MarkupLine($"[red]safety violated:[/] {Markup.Escape(s.Message)}");
                break;
            case RunFailedException f:
                app.Errors.MarkupLine($"[red]run failed:[/] {Markup.Escape(f.Message)}");
                if (f.InnerException?.StackTrace is { } trace) app.Errors.Profile.Out.Writer.WriteLine(trace);
                break;
        }
        var result = stopped.Completed;
        if (!quiet && result is not null) Headline.Print(app.Output, result);
        var runs = folder.FinishedRuns;
        app.Errors.WriteLine(result is null
            ? $"{runs} run(s) finished, but no variant/point finished all its replications."
            : $"{result.Points.Count} point(s) finished all their replications ({runs} run(s) in all).");
        if (stopped.Reason is OperationCanceledException)
            app.Errors.WriteLine($"Every finished run is kept; finish the rest with: lab run --resume {path}");
        app.Output.Profile.Out.Writer.WriteLine(path);
        return exit;
    }

    public sealed record ExperimentResultOrError(Lab.Reports.ExperimentResult? Result, Exception? Error);

    public static ExperimentResultOrError Capture(Func<Lab.Reports.ExperimentResult> run)
    {
        try { return new(run(), null); }
        catch (ExperimentStoppedException e) { return new(null, e); }
        catch (ResultFolderException e) { return new(null, e); }
    }
}
