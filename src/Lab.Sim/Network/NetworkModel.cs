using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Sim.Network;

/// <summary>
/// Computes when a message arrives. Link state (queue and FIFO horizon) belongs to the sender, and
/// draws come from the sender's network stream, so a node's sends never depend on another node's.
/// </summary>
public sealed class NetworkModel
{
    private readonly NetworkSpec _spec;
    private readonly int[] _region;
    private readonly long[][] _baseNanos;
    private readonly Bandwidth[][] _linkCapacity; // [from region][to region]

    public NetworkModel(NetworkSpec spec, IReadOnlyList<int> regionOfNode)
    {
        spec.Validate();
        _spec = spec;
        _region = [.. regionOfNode];
        foreach (var r in _region)
            if (r < 0 || r >= spec.Regions.Count) throw new ArgumentException($"node region {r} is not one of the {spec.Regions.Count} regions");
        _baseNanos = spec.BaseLatency.Select(row => row.Select(d => d.Nanos).ToArray()).ToArray();
        var n = spec.Regions.Count;
        _linkCapacity = new Bandwidth[n][];
        for (int a = 0; a < n; a++)
        {
            _linkCapacity[a] = new Bandwidth[n];
            for (int b = 0; b < n; b++)
            {
                var cap = Bandwidth.Min(spec.Upload?[a] ?? Bandwidth.Unlimited, spec.Download?[b] ?? Bandwidth.Unlimited);
                if (a != b && spec.InterRegionLimit is { } lim) cap = Bandwidth.Min(cap, lim);
                _linkCapacity[a][b] = cap;
            }
        }
        Lookahead = spec.MinimumLatency;
        Conditions = new NetworkConditions(_region.Length);
    }

    public NetworkSpec Spec => _spec;
    public Duration Lookahead { get; }
    public NetworkConditions Conditions { get; }

    public Bandwidth Capacity(int from, int to) => _linkCapacity[_region[from]][_region[to]];

    /// <summary>
    /// Routes one message. Returns false if it is lost. <paramref name="duplicateAt"/> is set when the
    /// network also delivers a copy.
    /// </summary>
    public bool Route(int from, int to, int sizeBytes, SimTime departure, SimRandom rng, LinkState link,
                      out SimTime arrival, out SimTime? duplicateAt)
    {
        duplicateAt = null;
        // Transmission: the link is busy while the bits go out; later messages queue behind.
        var tx = Capacity(from, to).TransmissionTime(sizeBytes);
        var start = SimTime.Max(departure, link.FreeAt);
        var sent = start + tx;
        link.FreeAt = sent;

        var propagation = Propagation(from, to, rng);
        arrival = sent + propagation;
        if (_spec.Fifo)
        {
            arrival = SimTime.Max(arrival, link.LastArrival);
            link.LastArrival = arrival;
        }

        var loss = _spec.Loss + Conditions.ExtraLoss;
        if (loss > 0 && rng.Chance(loss)) return false;
        if (_spec.Duplication > 0 && rng.Chance(_spec.Duplication))
        {
            var copy = sent + Propagation(from, to, rng);
            duplicateAt = _spec.Fifo ? SimTime.Max(copy, arrival) : copy;
            if (_spec.Fifo) link.LastArrival = duplicateAt.Value;
        }
        return true;
    }

    private Duration Propagation(int from, int to, SimRandom rng)
    {
        double ns = _baseNanos[_region[from]][_region[to]];
        if (_spec.JitterFactor is { } f) ns *= f.Sample(rng);
        if (_spec.Jitter is { } j) ns += j.Sample(rng) * 1e9;
        var slow = Conditions.SlowFactor(from, to);
        if (slow != 1) ns *= slow;
        return Duration.FromNanos((long)Math.Floor(ns));
    }
}

/// <summary>A sender's state for one outgoing link.</summary>
public sealed class LinkState
{
    public SimTime FreeAt;
    public SimTime LastArrival;
}
