using Lab.Sim.Time;

namespace Lab.Sim.Network;

/// <summary>
/// A node's uplink: first come, first served, one message at a time at the node's upload rate, so
/// a multicast of n−1 copies leaves one copy after another. Owned by its node; touched only by
/// that node's thread. Also keeps what the run reports about it (busy time, waits).
/// </summary>
public sealed class Uplink
{
    private long _busyNanos;

    /// <summary>When everything queued so far has left.</summary>
    public SimTime FreeAt { get; private set; }

    /// <summary>How long each message waited behind earlier ones.</summary>
    public WaitLog Waits { get; } = new();

    /// <summary>Queues a message that needs <paramref name="transmission"/> of the uplink from <paramref name="ready"/> on; returns when it starts.</summary>
    public SimTime Occupy(SimTime ready, Duration transmission)
    {
        var start = SimTime.Max(ready, FreeAt);
        FreeAt = start + transmission;
        _busyNanos += transmission.Nanos;
        Waits.Add(start.Nanos - ready.Nanos);
        return start;
    }

    /// <summary>
    /// The node crashed at <paramref name="at"/>: what had not left by then never will (and is not
    /// busy time). Messages are only ever queued before the crash, so the busy period that ends at
    /// <see cref="FreeAt"/> began before <paramref name="at"/>.
    /// </summary>
    public void Abandon(SimTime at)
    {
        if (FreeAt <= at) return;
        _busyNanos -= FreeAt.Nanos - at.Nanos;
        FreeAt = at;
    }

    /// <summary>Nanoseconds the uplink was sending before <paramref name="t"/> (messages queued beyond it form one busy
    /// period that began before it). Exact for any <paramref name="t"/> at or after the last message queued so far.</summary>
    public long BusyBefore(SimTime t) => Math.Max(0, _busyNanos - Math.Max(0, FreeAt.Nanos - t.Nanos));

    /// <summary>Share of [<paramref name="from"/>, <paramref name="end"/>) the uplink was sending, 0 to 1;
    /// <paramref name="busyAtFrom"/> is what <see cref="BusyBefore"/> said at <paramref name="from"/>.</summary>
    public double Utilisation(SimTime from, long busyAtFrom, SimTime end)
    {
        if (end <= from) return 0;
        return Math.Clamp((double)(BusyBefore(end) - busyAtFrom) / (end.Nanos - from.Nanos), 0, 1);
    }
}
