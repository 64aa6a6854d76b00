using System.Globalization;
using Lab.Experiments;
using Lab.Experiments.Fuzz;
using Lab.Experiments.Validation;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary>
/// <c>lab replay pbft:S:RUN [--beyond]</c>: draws run RUN of <c>lab fuzz --seed S</c> again, writes it as an
/// experiment file and runs that file as <c>lab run</c> would, printing a timeline of the run (faults, nodes
/// going down and up, leaders, committed heights, the checkers' findings) and the verdict.
/// <c>lab replay FILE</c> does the same for a file (a shrunk configuration).
/// </summary>
public static class ReplayCommand
{
    public static int Execute(CliApp app, string[] args, CancellationToken cancel)
    {
        var o = Options.Parse(args, new HashSet<string> { "--out", "--trace" }, new HashSet<string> { "--beyond", "--help", "-h" });
        if (o.Has("--help") || o.Has("-h")) { Help.Replay(app.Output); return ExitCode.Ok; }
        if (o.Positionals.Count != 1) throw new UsageException("replay takes one run id (pbft:SEED:RUN, as lab fuzz prints it) or one experiment file");
        var what = o.Positionals[0];
        var w = app.Output.Profile.Out.Writer;
        string file;
        var beyond = o.Has("--beyond");
        if (TryParseId(what, out var protocol, out var seed, out var run))
        {
            if (!FuzzGenerator.Protocols.Contains(protocol))
                throw new UsageException($"'{protocol}': lab fuzz draws configurations for {string.Join(", ", FuzzGenerator.Protocols)}");
            var c = FuzzGenerator.Generate(app.Registry, protocol, seed, run, beyond);
            if (!FuzzCommand.WriteCase(app, o.Last("--out") ?? Path.Combine("results", "fuzz"), c, out file)) return ExitCode.RunFailed;
            w.WriteLine($"{c.Id}{(beyond ? " (beyond the tolerance)" : "")}: drawn again as {file} ({FuzzCommand.Describe(c)}); lab run {file} gives the full report");
        }
        else if (File.Exists(what)) file = what;
        else throw new UsageException($"'{what}' is neither a run id (protocol:seed:run, e.g. pbft:7:123) nor an experiment file");

        var d = new Diagnostics();
        var experiment = ValidateCommand.Load(new ExperimentLoader(app.Registry), file, [], d);
        if (experiment is null) { ValidateCommand.PrintErrors(app.Errors, d); return ExitCode.Invalid; }
        FuzzRunner.Outcome outcome;
        try { outcome = new FuzzRunner(app.Registry).Run(experiment, trace: true, cancel); }
        catch (OperationCanceledException) { return ExitCode.Cancelled; }

        if (outcome.Trace is { } trace)
        {
            if (o.Last("--trace") is { } traceFile)
            {
                try { File.WriteAllText(traceFile, trace); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return app.Fail($"cannot write {traceFile}: {e.Message}", ExitCode.RunFailed); }
                w.WriteLine($"trace: {traceFile} ({trace.Count(ch => ch == '\n')} line(s))");
            }
            else w.Write(trace);
        }
        var v = outcome.Verdict;
        var expectViolation = experiment.ExpectedSafety == "violated";
        if (!v.Failed) app.Output.MarkupLine("[green]passed[/]: safety, validity" + (experiment.Points[0].Config.Has("expect.liveness") ? " and liveness" : "") + " held");
        else
        {
            app.Output.MarkupLine($"[red]{Markup.Escape(v.Word)}[/]" + (expectViolation && v.Failure is FuzzFailure.Safety or FuzzFailure.Validity ? " (beyond the tolerance: the expected result)" : "") + ":");
            foreach (var f in v.Findings.Take(10)) w.WriteLine("  " + f);
        }
        return v.Failure switch
        {
            FuzzFailure.None => ExitCode.Ok,
            FuzzFailure.Crash or FuzzFailure.Invalid => ExitCode.RunFailed,
            FuzzFailure.Safety or FuzzFailure.Validity when expectViolation => ExitCode.Ok,
            _ => ExitCode.SafetyViolated,
        };
    }

    /// <summary>Reads <c>protocol:seed:run</c>.</summary>
    public static bool TryParseId(string text, out string protocol, out ulong seed, out long run)
    {
        var parts = text.Split(':');
        protocol = parts[0];
        seed = 0;
        run = 0;
        return parts.Length == 3 && parts[0].Length > 0
            && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out seed)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out run);
    }
}
