using System.Diagnostics;
using System.Globalization;
using Lab.Experiments.Fuzz;
using Lab.Experiments.Values;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary>
/// <c>lab fuzz --protocol P --runs N [--seed S] [--beyond] [--budget TIME]</c>: swarm testing. Each run draws its
/// whole configuration from (protocol, seed, run) (<see cref="FuzzGenerator"/>), runs it as an ordinary
/// experiment, and is judged by its checkers: safety, validity, and liveness after the faults end. Each failure
/// prints the one line that reproduces it (<c>lab replay pbft:S:RUN</c>); the first is shrunk and written as an
/// experiment file. Same seed, same runs and verdicts, at any <c>--parallel</c>.
/// </summary>
public static class FuzzCommand
{
    public static int Execute(CliApp app, string[] args, CancellationToken cancel)
    {
        var o = Options.Parse(args, new HashSet<string> { "--protocol", "--runs", "--seed", "--budget", "--parallel", "--out", "--shrink-runs" },
            new HashSet<string> { "--beyond", "--no-shrink", "--quiet", "-q", "--help", "-h" });
        if (o.Has("--help") || o.Has("-h")) { Help.Fuzz(app.Output); return ExitCode.Ok; }
        if (o.Positionals.Count > 0) throw new UsageException($"fuzz takes no file ('{o.Positionals[0]}'); it draws its own configurations");
        var protocols = (o.Last("--protocol") ?? throw new UsageException($"fuzz needs --protocol ({string.Join(", ", FuzzGenerator.Protocols)}, or several separated by commas)"))
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var p in protocols)
            if (!FuzzGenerator.Protocols.Contains(p))
                throw new UsageException($"--protocol: lab fuzz draws configurations for {string.Join(", ", FuzzGenerator.Protocols)}, not '{p}'");
        var runs = o.Int("--runs", 1, int.MaxValue) ?? 100;
        var seed = Seed(o.Last("--seed"));
        var beyond = o.Has("--beyond");
        var parallel = o.Int("--parallel", 1, 1024) ?? Environment.ProcessorCount;
        var shrinkRuns = o.Has("--no-shrink") ? 0 : o.Int("--shrink-runs", 0, 100_000) ?? 150;
        var quiet = o.Has("--quiet") || o.Has("-q");
        var outDir = o.Last("--out") ?? Path.Combine("results", "fuzz");
        TimeSpan? budget = null;
        if (o.Last("--budget") is { } b)
        {
            if (Units.Duration(b, out var d) is { } error || d.Nanos <= 0) throw new UsageException($"--budget: expected a wall-clock time such as 90s or 10min, got '{b}'");
            budget = TimeSpan.FromSeconds(d.TotalSeconds);
        }

        // The budget covers every protocol: each gets an equal share of what is left when it starts.
        var clock = Stopwatch.StartNew();
        var exit = ExitCode.Ok;
        var campaign = new FuzzCampaign(app.Registry);
        for (int i = 0; i < protocols.Length; i++)
        {
            if (cancel.IsCancellationRequested) break;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            if (budget is { } total) stop.CancelAfter(TimeSpan.FromTicks(Math.Max(1, (total - clock.Elapsed).Ticks / (protocols.Length - i))));
            var code = One(app, campaign, protocols[i], seed, runs, beyond, parallel, shrinkRuns, outDir, quiet, stop.Token, cancel);
            exit = Math.Max(exit, code);
        }
        return cancel.IsCancellationRequested ? ExitCode.Cancelled : exit;
    }

    private static int One(CliApp app, FuzzCampaign campaign, string protocol, ulong seed, int runs, bool beyond, int parallel, int shrinkRuns,
        string outDir, bool quiet, CancellationToken stopStarting, CancellationToken cancel)
    {
        var w = app.Output.Profile.Out.Writer;
        var started = Stopwatch.StartNew();
        var gate = new Lock();
        var failedSoFar = 0;
        var done = 0;
        if (!quiet)
            app.Output.MarkupLine($"[bold]lab fuzz {protocol}[/]: {runs} run(s) from seed {seed}, {(beyond ? "beyond" : "within")} the fault tolerance, {Math.Min(parallel, runs)} at a time");

        void Finished(FuzzCampaign.RunReport r)
        {
            lock (gate)
            {
                done++;
                if (!r.Verdict.Failed) return;
                failedSoFar++;
                // A line per failure as it happens; the summary lists them again in run order.
                if (!quiet) w.WriteLine($"run {r.Case.Run}: {r.Verdict.Word}: {r.Verdict.Findings.FirstOrDefault()}  →  {r.Case.ReplayCommand}");
            }
        }

        FuzzCampaign.Summary summary;
        if (!quiet && app.Interactive)
        {
            FuzzCampaign.Summary? result = null;
            app.Output.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"{protocol} 0/{runs}", maxValue: runs);
                    var worker = new Thread(() => result = campaign.Run(protocol, seed, runs, beyond, parallel, Finished, stopStarting, cancel)) { IsBackground = true };
                    worker.Start();
                    while (!worker.Join(200))
                    {
                        lock (gate)
                        {
                            task.Value = done;
                            task.Description = $"{protocol} {done}/{runs} · {failedSoFar} failed";
                        }
                        ctx.Refresh();
                    }
                });
            summary = result!;
        }
        else
        {
            var step = Math.Max(1, runs / 10);
            summary = campaign.Run(protocol, seed, runs, beyond, parallel, r =>
            {
                Finished(r);
                if (quiet) return;
                lock (gate)
                    if (done % step == 0) w.WriteLine($"{protocol}: {done}/{runs} run(s), {failedSoFar} failed, {started.Elapsed.TotalSeconds:0.0}s");
            }, stopStarting, cancel);
        }
        var seconds = started.Elapsed.TotalSeconds;

        var kinds = Enum.GetValues<FuzzFailure>().Where(k => k != FuzzFailure.None && summary.Count(k) > 0).Select(k => $"{summary.Count(k)} {k.ToString().ToLowerInvariant()}");
        w.WriteLine($"{protocol}: {summary.Done} of {runs} run(s) from seed {seed} ({(beyond ? "beyond" : "within")} the tolerance), " +
                    $"{summary.Done - summary.Failed} passed, {summary.Failed} failed" + (summary.Failed > 0 ? $" ({string.Join(", ", kinds)})" : "") +
                    $"; {seconds:0.0}s, {summary.Done / Math.Max(seconds, 1e-9):0.0} runs/s" + (summary.Done < runs && !cancel.IsCancellationRequested ? " (time budget reached)" : ""));
        if (summary.Failed > 0)
        {
            w.WriteLine($"{protocol}: first failure at run {summary.Failures[0].Case.Run} ({summary.RunsToFirstFailure} run(s) to the first), {summary.FailedShare.ToString("0.0%", CultureInfo.InvariantCulture)} of runs failed");
            foreach (var f in summary.Failures.Take(20))
                w.WriteLine($"  {f.Case.ReplayCommand}   # {f.Verdict.Word}: {f.Verdict.Findings.FirstOrDefault()}");
            if (summary.Failed > 20) w.WriteLine($"  … {summary.Failed - 20} more");
            var first = summary.Failures[0];
            if (!WriteCase(app, outDir, first.Case, out var original)) return ExitCode.RunFailed;
            w.WriteLine($"  first failing configuration: {original}");
            if (shrinkRuns > 0 && !cancel.IsCancellationRequested)
            {
                if (!quiet) w.WriteLine($"shrinking run {first.Case.Run} ({first.Verdict.Word}), at most {shrinkRuns} runs …");
                var shrunk = new Shrinker(app.Registry, campaign.Runner).Shrink(first.Case, first.Verdict, shrinkRuns, quiet ? null : what => w.WriteLine($"  kept: {what}"), cancel);
                if (!WriteCase(app, outDir, shrunk.Case, out var small)) return ExitCode.RunFailed;
                w.WriteLine($"  shrunk in {shrunk.Runs} run(s), {shrunk.Kept} change(s) kept: {Describe(shrunk.Case)}; still fails ({shrunk.Verdict.Word}: {shrunk.Verdict.Findings.FirstOrDefault()})");
                w.WriteLine($"  shrunk configuration: {small}   (lab replay {small} traces it; lab run {small} reports it)");
            }
        }
        if (summary.Failures.Any(f => f.Verdict.Failure is FuzzFailure.Crash or FuzzFailure.Invalid)) return ExitCode.RunFailed;
        return !beyond && summary.Failed > 0 ? ExitCode.SafetyViolated : ExitCode.Ok;
    }

    /// <summary>A one-line description of a configuration's size.</summary>
    public static string Describe(FuzzCase c) =>
        $"{c.Nodes} node(s), {c.Byzantine.Count} Byzantine, {c.Faults.Count} fault(s), {c.Clients} client(s), {c.RunMs / 1000.0:0.###}s";

    /// <summary>Writes the configuration as an experiment file under <paramref name="outDir"/>.</summary>
    public static bool WriteCase(CliApp app, string outDir, FuzzCase c, out string path)
    {
        path = Path.Combine(outDir, c.FileName);
        try
        {
            Directory.CreateDirectory(outDir);
            File.WriteAllText(path, c.ToYaml());
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            app.Fail($"cannot write {path}: {e.Message}", ExitCode.RunFailed);
            return false;
        }
    }

    public static ulong Seed(string? text)
    {
        if (text is null) return 1;
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seed)) throw new UsageException($"--seed: expected a whole number ≥ 0, got '{text}'");
        return seed;
    }
}
