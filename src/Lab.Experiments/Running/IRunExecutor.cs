namespace Lab.Experiments.Running;

/// <summary>One run to execute: run <paramref name="Run"/> (index in <see cref="Experiment.Runs"/>) of <paramref name="Experiment"/>.</summary>
public sealed record RunJob(Experiment Experiment, int Run, RunSpec Spec);

/// <summary>
/// Where a batch of runs executes: threads of this process (<see cref="LocalRunExecutor"/>) or the
/// workers of a cluster. Runs are independent and seeded, so where and in which order they run never
/// changes a result; only the callback decides what a finished run means.
/// </summary>
public interface IRunExecutor
{
    /// <summary>How many runs execute at once, for progress estimates (0: unknown).</summary>
    int Slots => 0;

    /// <summary>
    /// Runs every job and calls <paramref name="finished"/> once per job as it ends (from any thread, in any
    /// order). Returns when all have finished. If a run throws (as a <see cref="RunFailedException"/>) or
    /// <paramref name="finished"/> throws, no new run starts and the first such exception is rethrown once
    /// the runs in flight have stopped; a cancelled <paramref name="cancel"/> ends it with an
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    void Execute(IReadOnlyList<RunJob> jobs, Action<RunJob, Lab.Reports.ReplicationResult> finished, IRunProgress? progress, CancellationToken cancel);
}
