using Lab.Sim.Time;

namespace Lab.Sim.Kernel;

/// <summary>How a run executes. None of these change its results, except the stop conditions.</summary>
public sealed record SimulationOptions
{
    public ulong Seed { get; init; }
    /// <summary>The run stops when virtual time reaches this.</summary>
    public SimTime EndTime { get; init; } = SimTime.MaxValue;
    /// <summary>The run stops after this many events (a guard against runaway protocols).</summary>
    public long MaxEvents { get; init; } = long.MaxValue;
    /// <summary>CPU and NIC utilisation are measured from here to the end (an experiment's warm-up; default: the whole
    /// run), to within one window (the lookahead).</summary>
    public SimTime MeasureFrom { get; init; } = SimTime.Zero;
    /// <summary>Width of the time bins of metric series (e.g. throughput over time).</summary>
    public Duration SeriesBin { get; init; } = Duration.FromSeconds(1);
    /// <summary>Sequential (one thread, no actors) or Actors (nodes hosted in batches by Akka.NET worker actors, windows in parallel).</summary>
    public ExecutionMode Mode { get; init; } = ExecutionMode.Sequential;
    /// <summary>Actors only: a window runs on the worker actors when the window before it had at least
    /// this many events; smaller ones run inline on the kernel's thread, where waking a thread would
    /// cost more than it saves. 0: every window of two or more nodes runs on the workers.</summary>
    public long ParallelMinEvents { get; init; } = 256;
    /// <summary>Actors only: how many threads run a parallel window (the kernel's own and one worker
    /// actor per other); null: one per core. Results never depend on it.</summary>
    public int? Threads { get; init; }
    /// <summary>Kernel tuning (results never depend on it): with more than this many nodes the messages of a window are
    /// handed over grouped by destination (kinder to the caches when the nodes' state is far beyond them), with fewer
    /// each goes straight to its destination.</summary>
    public int GroupDeliveriesAbove { get; init; } = 512;
}

public enum ExecutionMode
{
    /// <summary>One thread drives every node: the reference executor.</summary>
    Sequential,
    /// <summary>Nodes are hosted in batches by Akka.NET worker actors, one per spare core; the nodes of a large window run in parallel.</summary>
    Actors,
}
