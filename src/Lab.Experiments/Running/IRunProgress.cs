namespace Lab.Experiments.Running;

/// <summary>Told about runs as they go (from worker threads: implementations must be thread-safe).</summary>
public interface IRunProgress
{
    /// <summary>Once, before any run starts: the runs to do in the order they start, and how many run at once (0: unknown).
    /// For an estimate of the time left (<see cref="RunEta"/>).</summary>
    void Planned(IReadOnlyList<RunSpec> order, int slots) { }
    void Started(RunSpec run);
    /// <summary>Share of the run's virtual time done, 0 to 1.</summary>
    void Advanced(RunSpec run, double fraction);
    void Finished(RunSpec run);
}
