using Lab.Consensus.Common;
using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Lab.Reports;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;

namespace Lab.Experiments.Fuzz;

/// <summary>
/// Runs one generated configuration exactly as <c>lab run</c> would run its file (the same loader, the same
/// <see cref="ExperimentRunner.RunOne"/>), and reads the verdict from the checkers every run has: safety
/// (agreement), validity, and the liveness deadline the file sets. Thread-safe: campaigns call it from several
/// workers at once.
/// </summary>
public sealed class FuzzRunner(ModelRegistry registry)
{
    private readonly ExperimentLoader _loader = new(registry);
    private readonly ExperimentRunner _runner = new(registry);

    /// <summary>One run and its verdict, with its timeline when traced (<see cref="RunTrace"/>).</summary>
    public sealed record Outcome(FuzzVerdict Verdict, ReplicationResult? Result, string? Trace);

    public Outcome Run(FuzzCase c, bool trace = false, CancellationToken cancel = default)
    {
        var d = new Diagnostics();
        var experiment = _loader.LoadText(c.FileName, c.ToYaml(), [], d);
        if (experiment is null) return new(new FuzzVerdict(FuzzFailure.Invalid, [.. d.Sorted().Select(x => x.ToString())]), null, null);
        return Run(experiment, trace, cancel);
    }

    /// <summary>Runs the first run of a loaded experiment (a fuzz file, shrunk or not) and judges it.</summary>
    public Outcome Run(Experiment experiment, bool trace = false, CancellationToken cancel = default)
    {
        var run = experiment.Runs[0];
        var timeline = trace ? new RunTrace() : null;
        ReplicationResult result;
        try { result = _runner.RunOne(experiment, run, ExecutionMode.Sequential, null, cancel, timeline is null ? null : [timeline]); }
        catch (OperationCanceledException) { throw; }
        catch (Exception e)
        {
            var where = e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Lab.", StringComparison.Ordinal))?.Trim() ?? "";
            return new(new FuzzVerdict(FuzzFailure.Crash, [$"{e.GetType().Name}: {e.Message}", where]), null, null);
        }
        return new(Judge(result), result, timeline?.Format(result.Stats, result.Metrics));
    }

    /// <summary>The worst failure the checkers counted, with their findings.</summary>
    public static FuzzVerdict Judge(ReplicationResult result)
    {
        var m = result.Metrics;
        double Count(string name) => m.Scalars.GetValueOrDefault(name);
        var failure = Count(StandardMetrics.SafetyViolations) > 0 ? FuzzFailure.Safety
            : Count(StandardMetrics.ValidityViolations) > 0 ? FuzzFailure.Validity
            : result.Stats.StoppedBy == StopReason.MaxEvents ? FuzzFailure.Runaway
            : Count(StandardMetrics.LivenessViolations) > 0 ? FuzzFailure.Liveness
            : FuzzFailure.None;
        if (failure == FuzzFailure.None) return FuzzVerdict.Passed;
        var findings = m.Findings
            .Where(f => f.Kind is StandardMetrics.SafetyFinding or StandardMetrics.ValidityFinding or StandardMetrics.LivenessFinding)
            .Select(f => $"at {f.At}: {f.Kind}: {f.Text}").ToList();
        if (failure == FuzzFailure.Runaway)
            findings.Insert(0, $"stopped at {result.Stats.FinalTime} after {result.Stats.EventsProcessed} events (max-events): {result.Stats.MessagesSent} messages sent");
        if (findings.Count == 0) findings.Add($"{failure.ToString().ToLowerInvariant()}: counted by a replica's own check (see the trace)");
        double? first = m.Scalars.TryGetValue(StandardMetrics.FirstViolationTime, out var t) ? t : null;
        return new FuzzVerdict(failure, findings, first);
    }
}
