using Lab.Sim.Collections;
using Lab.Sim.Metrics;

namespace Lab.Sim.Network;

/// <summary>The waits of the messages through one NIC direction, for a percentile at the end of the run.</summary>
public sealed class WaitLog
{
    private long _zeros;                      // most messages in most runs do not wait: no entry for them
    private readonly ChunkedList<double> _waits = new(); // the others, seconds (one per message that waited)

    public void Add(long waitNanos)
    {
        if (waitNanos <= 0) _zeros++;
        else _waits.Add(waitNanos / 1e9);
    }

    /// <summary>Messages logged.</summary>
    public long Count => _zeros + _waits.Count;

    /// <summary>The <paramref name="p"/>-quantile of the waits in seconds (<see cref="Quantile"/>); 0 if nothing was logged.</summary>
    public double Quantile(double p)
    {
        if (Count == 0) return 0;
        var positive = _waits.ToArray();
        Array.Sort(positive);
        return Metrics.Quantile.OfSortedAfterZeros(_zeros, positive, p); // zeros first, then the sorted positive waits
    }
}
