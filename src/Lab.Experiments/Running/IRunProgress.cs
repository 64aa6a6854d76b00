namespace Lab.Experiments.Running;

/// <summary>Told about runs as they go (from worker threads: implementations must be thread-safe).</summary>
public interface IRunProgress
{
    void Started(RunSpec run);
    /// <summary>Share of the run's virtual time done, 0 to 1.</summary>
    void Advanced(RunSpec run, double fraction);
    void Finished(RunSpec run);
}
