namespace Lab.Cluster;

/// <summary>What a <see cref="WorkerNode"/> shares with the process that started it, for one membership of the cluster.</summary>
public sealed class WorkerSession(string name, int cores, SharedSecret secret, WorkerRuns runs, Action<string> log, CancellationToken stopping, bool isSeed)
{
    public string Name => name;
    public int Cores => cores;
    /// <summary>This worker is the cluster's seed (it joined itself): it outlives coordinators.</summary>
    public bool IsSeed => isSeed;
    public SharedSecret Secret => secret;
    public WorkerRuns Runs => runs;
    /// <summary>Cancelled when this membership ends: runs in flight stop (their coordinator re-queues them).</summary>
    public CancellationToken Stopping => stopping;
    public void Log(string line) => log(line);

    /// <summary>Why the coordinator refused this worker (null: not refused).</summary>
    public string? RefusedBecause { get; private set; }
    public bool CoordinatorHasLeft { get; private set; }
    private int _completed;
    public int CompletedRuns => Volatile.Read(ref _completed);

    public void Refuse(string reason) => RefusedBecause = reason;
    public void CoordinatorLeft() => CoordinatorHasLeft = true;
    public void Completed() => Interlocked.Increment(ref _completed);
}
