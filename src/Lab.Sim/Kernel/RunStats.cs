using Lab.Sim.Faults;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Sim.Kernel;

/// <summary>What the kernel itself counted in a run. <see cref="TraceHash"/> fingerprints every
/// handled event (time, node, source, sequence): same hash, same event order.</summary>
public sealed record RunStats(
    long EventsProcessed,
    long MessagesSent,
    long BytesSent,
    long MessagesDelivered,
    long MessagesDropped,
    long Windows,
    SimTime FinalTime,
    StopReason StoppedBy,
    IReadOnlyList<FaultWindow> Faults,
    IReadOnlyList<double> CpuUtilisation,
    ulong TraceHash = 0)
{
    /// <summary>Per node (same order as <see cref="CpuUtilisation"/>), how hard its NIC worked; empty when the network charges no bandwidth.</summary>
    public IReadOnlyList<NicUsage> Nic { get; init; } = [];
}

public enum StopReason { EndTime, MaxEvents, Predicate, Idle, Cancelled }

/// <summary>A fault as it happened: for shading charts and for the report.</summary>
public sealed record FaultWindow(SimTime Start, SimTime? End, string Description);
