namespace Lab.Experiments.Running;

/// <summary>A run threw: the experiment stops.</summary>
public sealed class RunFailedException(RunSpec run, Exception inner)
    : Exception($"run '{run.Label}' (seed {run.Seed}) failed: {inner.GetType().Name}: {inner.Message}", inner)
{
    public RunSpec Run { get; } = run;
}

/// <summary>A run broke safety although the experiment expects it to hold, or missed its <c>expect.liveness</c> deadline
/// (<paramref name="liveness"/>: nothing but liveness was violated).</summary>
public sealed class SafetyViolationException(RunSpec run, IReadOnlyList<string> findings, bool liveness = false)
    : Exception(liveness
        ? $"run '{run.Label}' (seed {run.Seed}) violated liveness (expect.liveness):\n  " + string.Join("\n  ", findings.Take(5))
        : $"run '{run.Label}' (seed {run.Seed}) violated safety, which the experiment expects to hold:\n  " + string.Join("\n  ", findings.Take(5)) +
          "\n(add 'expect: { safety: violated }' if exceeding the fault tolerance is the point)")
{
    public RunSpec Run { get; } = run;
}

/// <summary>
/// The experiment stopped early (<see cref="Reason"/>: a <see cref="RunFailedException"/>, a
/// <see cref="SafetyViolationException"/> or an <see cref="OperationCanceledException"/>).
/// <see cref="Completed"/> holds the points whose replications all finished, if any, so they can be kept.
/// </summary>
public sealed class ExperimentStoppedException(Exception reason, Lab.Reports.ExperimentResult? completed) : Exception(reason.Message, reason)
{
    public Exception Reason { get; } = reason;
    public Lab.Reports.ExperimentResult? Completed { get; } = completed;
}
