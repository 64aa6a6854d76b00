using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Sim.Kernel;

/// <summary>An event queued at a node: a message from another node, or one of its own timers.</summary>
internal readonly struct Envelope(object payload, int sizeBytes, long timerId)
{
    public readonly object Payload = payload;
    public readonly int SizeBytes = sizeBytes;
    /// <summary>Non-zero for a timer event.</summary>
    public readonly long TimerId = timerId;
}

/// <summary>
/// Total order of events at one node: (time, source, source-local sequence). With the destination
/// implied by the queue, this is the kernel's global key (time, destination, source, sequence).
/// </summary>
internal readonly record struct EventKey(long Time, int Source, long Sequence);

internal sealed class EventKeyComparer : IComparer<EventKey>
{
    public static readonly EventKeyComparer Instance = new();

    public int Compare(EventKey x, EventKey y)
    {
        if (x.Time != y.Time) return x.Time < y.Time ? -1 : 1;
        if (x.Source != y.Source) return x.Source < y.Source ? -1 : 1;
        return x.Sequence.CompareTo(y.Sequence);
    }
}

/// <summary>A message produced during a window, delivered to its destination's queue after it.</summary>
internal readonly record struct Outgoing(NodeId To, EventKey Key, Envelope Envelope);
