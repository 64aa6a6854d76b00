using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Sim.Kernel;

/// <summary>What an event in a node's queue is.</summary>
internal enum EnvelopeKind : byte
{
    /// <summary>A message from another node (or itself), ready for the node.</summary>
    Message,
    /// <summary>One of the node's own timers.</summary>
    Timer,
    /// <summary>A message whose first bit reaches the node's limited downlink (kernel-internal:
    /// the node sees it later, as a <see cref="Message"/>, when the downlink is done with it).</summary>
    AtDownlink,
}

/// <summary>An event queued at a node: a message from another node, one of its own timers, or a message reaching its downlink.</summary>
internal readonly struct Envelope(object payload, int sizeBytes, long aux, EnvelopeKind kind)
{
    public readonly object Payload = payload;
    /// <summary>Timer: its id. At the downlink: when the message's last bit arrives (nanoseconds). Message: 0.</summary>
    public readonly long Aux = aux;
    public readonly int SizeBytes = sizeBytes;
    public readonly EnvelopeKind Kind = kind;

    public static Envelope Message(object payload, int sizeBytes) => new(payload, sizeBytes, 0, EnvelopeKind.Message);
    public static Envelope Timer(object state, long id) => new(state, 0, id, EnvelopeKind.Timer);
    public static Envelope AtDownlink(object payload, int sizeBytes, SimTime lastBit) => new(payload, sizeBytes, lastBit.Nanos, EnvelopeKind.AtDownlink);
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
