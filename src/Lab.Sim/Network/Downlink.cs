using Lab.Sim.Time;

namespace Lab.Sim.Network;

/// <summary>
/// A node's downlink of limited capacity, as a fluid: a message's bits arrive at a steady rate
/// between its first and last bit (the rate its sender's uplink or link put them out at), and the
/// downlink serves them as they come, giving earlier messages (by first-bit arrival) first call on
/// its capacity; bits it cannot take yet wait in an unbounded buffer. A message reaches the node
/// when its last byte has been served.
/// <para>So an idle downlink at least as fast as the sender adds nothing; a receiver fed by several
/// senders at once drains at its download rate; ten senders at a tenth of the download rate each
/// are all served at their own pace; and a small message is not held behind a large one that a
/// slow sender is still sending. Less than reality: no fair sharing between concurrent flows
/// (strict priority by arrival), no back-pressure on the sender, unbounded buffers.</para>
/// <para>Messages must be received in order of first-bit arrival (the kernel's event key at the
/// receiver guarantees it). Owned by its node; touched only by that node's thread.</para>
/// </summary>
public sealed class Downlink
{
    private readonly double _capacity; // bytes per nanosecond
    // Capacity promised to earlier messages, a step function of time: _used[i] bytes/ns from
    // _start[i] to _start[i + 1] (the last step, always 0, lasts forever). Steps before _head are
    // behind the latest first-bit arrival and no message can use them any more.
    private readonly List<long> _start = [0];
    private readonly List<double> _used = [0];
    private int _head;
    private double _bytes;

    public Downlink(Bandwidth capacity)
    {
        if (capacity.IsUnlimited || capacity.BitsPerSecond <= 0) throw new ArgumentException("a downlink needs a finite positive capacity (unlimited downlinks are not modelled)");
        _capacity = capacity.BitsPerSecond / 8e9;
    }

    /// <summary>How much later than on an idle downlink each message completed.</summary>
    public WaitLog Waits { get; } = new();

    /// <summary>
    /// Takes a message of <paramref name="sizeBytes"/> whose bits arrive steadily from
    /// <paramref name="firstBit"/> to <paramref name="lastBit"/>; returns when its last byte has
    /// been served. Calls must come in order of <paramref name="firstBit"/>.
    /// </summary>
    public SimTime Receive(SimTime firstBit, SimTime lastBit, int sizeBytes)
    {
        long a = firstBit.Nanos, b = Math.Max(lastBit.Nanos, a);
        if (a < _start[_head]) throw new InvalidOperationException("downlink messages must arrive in order of their first bit");
        var idle = Math.Max(b, a + (long)Math.Ceiling(sizeBytes / _capacity));
        if (sizeBytes <= 0)
        {
            Waits.Add(0);
            return new SimTime(b);
        }
        _bytes += sizeBytes;
        double size = sizeBytes, r = b > a ? size / (b - a) : double.PositiveInfinity;
        double tolerance = size * 1e-9, served = 0;
        var i = StepStartingAt(a);
        long t = a;
        while (true)
        {
            var e = i + 1 < _start.Count ? _start[i + 1] : long.MaxValue;
            var free = Math.Max(0, _capacity - _used[i]);
            var backlog = (t >= b ? size : Math.Min(size, r * (t - a))) - served;
            double rate;
            long until;
            if (t < b && backlog <= tolerance && free >= r) { rate = r; until = Math.Min(e, b); }           // keeps up with the arriving bits
            else if (t < b && free > r) { rate = free; until = Math.Min(Math.Min(e, b), t + Ceil(backlog / (free - r))); } // catches up
            else if (t < b) { rate = free; until = Math.Min(e, b); }                                          // falls behind
            else if (free > 0) { rate = free; until = Math.Min(e, t + Ceil(backlog / free)); }                 // drains the rest
            else { rate = 0; until = e; }                                                                      // waits for capacity
            if (until <= t) until = t + 1;
            if (until < e) { _start.Insert(i + 1, until); _used.Insert(i + 1, _used[i]); } // step i now ends at `until`
            // Taking all that is free fills the step exactly, so a saturated stretch is one step
            // (merged below) and a message behind a long backlog crosses it at once.
            _used[i] = rate > 0 && rate == free ? _capacity : _used[i] + rate;
            served += rate * (until - t);
            if (i > _head && _used[i] == _used[i - 1]) { _start.RemoveAt(i); _used.RemoveAt(i); i--; }
            t = until;
            i++;
            if (t >= b && served >= size - tolerance) break;
        }
        if (i < _start.Count && i > _head && _used[i] == _used[i - 1]) { _start.RemoveAt(i); _used.RemoveAt(i); }
        Waits.Add(t - idle);
        return new SimTime(t);
    }

    private static long Ceil(double nanos) => nanos >= long.MaxValue / 2 ? long.MaxValue / 2 : (long)Math.Ceiling(nanos);

    /// <summary>Drops the steps that end by <paramref name="at"/> and returns the index of a step that starts exactly there.</summary>
    private int StepStartingAt(long at)
    {
        while (_head + 1 < _start.Count && _start[_head + 1] <= at) _head++;
        if (_start[_head] < at)
        {
            _start.Insert(_head + 1, at);
            _used.Insert(_head + 1, _used[_head]);
            _head++;
        }
        if (_head > 64 && _head * 2 > _start.Count)
        {
            _start.RemoveRange(0, _head);
            _used.RemoveRange(0, _head);
            _head = 0;
        }
        return _head;
    }

    /// <summary>Bytes the downlink has promised to serve at or after <paramref name="at"/>.</summary>
    private double BytesFrom(long at)
    {
        double bytes = 0;
        for (int i = _head; i < _start.Count; i++)
        {
            var from = Math.Max(_start[i], at);
            var to = i + 1 < _start.Count ? _start[i + 1] : long.MaxValue;
            if (to > from && _used[i] > 0) bytes += _used[i] * (to - from);
        }
        return bytes;
    }

    /// <summary>The node crashed at <paramref name="at"/>: nothing more is served (or counted as busy).</summary>
    public void Abandon(SimTime at)
    {
        _bytes -= BytesFrom(at.Nanos);
        var i = StepStartingAt(Math.Max(at.Nanos, _start[_head]));
        _start.RemoveRange(i + 1, _start.Count - i - 1);
        _used.RemoveRange(i + 1, _used.Count - i - 1);
        _used[i] = 0;
    }

    /// <summary>Bytes served before <paramref name="t"/>. Exact for any <paramref name="t"/> at or after the first bit of
    /// the last message received so far (later ones are served only from their own first bit on).</summary>
    public double ServedBefore(SimTime t) => _bytes - BytesFrom(t.Nanos);

    /// <summary>Share of the capacity of [<paramref name="from"/>, <paramref name="end"/>) the downlink served, 0 to 1;
    /// <paramref name="servedAtFrom"/> is what <see cref="ServedBefore"/> said at <paramref name="from"/>.</summary>
    public double Utilisation(SimTime from, double servedAtFrom, SimTime end)
    {
        if (end <= from) return 0;
        return Math.Clamp((ServedBefore(end) - servedAtFrom) / (_capacity * (end.Nanos - from.Nanos)), 0, 1);
    }
}
