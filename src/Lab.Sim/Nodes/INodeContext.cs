using Lab.Sim.Metrics;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Sim.Nodes;

/// <summary>A node's view of the world: its clock, its network port, its timers, its CPU.</summary>
public interface INodeContext
{
    /// <summary>Current virtual time, advanced by <see cref="ChargeCpu"/> while handling an event.</summary>
    SimTime Now { get; }
    NodeId Self { get; }
    /// <summary>This node's own random stream (independent of every other node's).</summary>
    SimRandom Random { get; }
    MetricRecorder Metrics { get; }
    /// <summary>What survives a crash-restart (the node's "disk").</summary>
    DurableStore Storage { get; }
    /// <summary>Names and regions of every node in the run.</summary>
    NodeDirectory Directory { get; }

    /// <summary>
    /// Sends a message of <paramref name="sizeBytes"/> over the network. It is handed to this node's
    /// uplink at <see cref="Now"/> and queues there behind the node's earlier messages.
    /// </summary>
    void Send(NodeId to, object message, int sizeBytes);

    /// <summary>
    /// Sends a message that leaves <paramref name="delay"/> after <see cref="Now"/> and that the
    /// kernel charges no bandwidth for: it skips both NICs and any link cap, and only the link's
    /// latency (and loss, duplication, FIFO, partitions) applies. For protocols that time their own
    /// transfers as the simulator they reproduce does (SimBlock holds a node's upload until the
    /// receiver has the block, with <paramref name="delay"/> = size / <see cref="Network.NetworkSpec.TransferRate"/>
    /// plus processing). Returns when the message arrives (a duplicate may arrive later), or null if
    /// the network drops it. The message still counts as sent.
    /// </summary>
    SimTime? SendUncharged(NodeId to, object message, int sizeBytes, Duration delay);

    TimerId SetTimer(Duration after, object state);
    void CancelTimer(TimerId id);

    /// <summary>Keeps the node busy for <paramref name="cpu"/>; later events queue behind it.</summary>
    void ChargeCpu(Duration cpu);
}

/// <summary>Handle of a pending timer.</summary>
public readonly record struct TimerId(long Value)
{
    public static readonly TimerId None = new(0);
}

public static class NodeContextExtensions
{
    public static void Multicast(this INodeContext ctx, IEnumerable<NodeId> to, object message, int sizeBytes)
    {
        foreach (var n in to) ctx.Send(n, message, sizeBytes);
    }
}
