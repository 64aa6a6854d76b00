using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Sim.Network;

/// <summary>
/// Computes when a message arrives, in three steps the kernel runs in order.
/// <list type="number">
/// <item><see cref="Transmit"/>, at the sender: the message waits for the sender's uplink and
/// occupies it for size/upload (first come, first served: a multicast of n−1 copies leaves one
/// copy after another, never fair-shared). A per-link cap between regions, where the network has
/// one, is a second queue on the same link: the last bit cannot leave before size/cap of that
/// link's work is done.</item>
/// <item><see cref="Propagate"/>, at the sender: the first and last bits travel for the link's
/// latency (one draw per message); per-link FIFO, loss and duplication apply here. A lost message
/// has still used the sender's uplink: it was sent.</item>
/// <item>At the receiver, in the order of first-bit arrival (the kernel's event key): the
/// receiver's <see cref="Downlink"/> serves the bits as they arrive, at most at its download rate,
/// earlier messages first; the message is delivered when its last byte has been served.</item>
/// </list>
/// So an idle path takes latency + size/min(upload, download, cap), as before the NIC existed, and a
/// receiver fed by several senders at once drains at its download rate. The bits of one message are
/// pipelined through the stages (a store-and-forward model would charge size/upload + size/download
/// for one transfer). Less than reality: no TCP slow start or congestion control, no fair sharing
/// between concurrent flows (first come, first served), no loss caused by queues (buffers are unbounded).
/// <para>Link and uplink state belong to the sender and draws come from its network stream; the
/// downlink belongs to the receiver and is applied in event-key order; so nothing depends on
/// threads. Under <see cref="NetworkRules.SimBlock"/> only <see cref="Propagate"/> applies (with
/// SimBlock's Pareto delay) and the kernel charges no bandwidth.</para>
/// </summary>
public sealed class NetworkModel
{
    private readonly NetworkSpec _spec;
    private readonly int[] _region;
    private readonly long[][] _baseNanos;
    private readonly Bandwidth[] _upload;         // [region]
    private readonly Bandwidth[] _download;       // [region]
    private readonly Bandwidth[][] _linkCap;      // [from region][to region], unlimited within a region
    private readonly bool[] _uplinkLimited;       // [node]
    private readonly bool[] _downlinkLimited;     // [node]
    private readonly double[][] _paretoShape;     // SimBlock: [from region][to region]
    private readonly double[][] _paretoScaleMs;

    public NetworkModel(NetworkSpec spec, IReadOnlyList<int> regionOfNode)
    {
        spec.Validate();
        _spec = spec;
        _region = [.. regionOfNode];
        foreach (var r in _region)
            if (r < 0 || r >= spec.Regions.Count) throw new ArgumentException($"node region {r} is not one of the {spec.Regions.Count} regions");
        _baseNanos = spec.BaseLatency.Select(row => row.Select(d => d.Nanos).ToArray()).ToArray();
        var n = spec.Regions.Count;
        var charged = spec.Rules == NetworkRules.Nic;
        _upload = Enumerable.Range(0, n).Select(r => charged ? spec.Upload?[r] ?? Bandwidth.Unlimited : Bandwidth.Unlimited).ToArray();
        _download = Enumerable.Range(0, n).Select(r => charged ? spec.Download?[r] ?? Bandwidth.Unlimited : Bandwidth.Unlimited).ToArray();
        _linkCap = Enumerable.Range(0, n).Select(a => Enumerable.Range(0, n)
            .Select(b => charged && a != b && spec.InterRegionLimit is { } cap ? cap : Bandwidth.Unlimited).ToArray()).ToArray();
        // SimBlock, Network.getLatency: shape = 0.2 × mean, scale = mean − 5, both from the mean in ms.
        _paretoShape = _baseNanos.Select(row => row.Select(ns => 0.2 * ns / 1e6).ToArray()).ToArray();
        _paretoScaleMs = _baseNanos.Select(row => row.Select(ns => ns / 1e6 - 5).ToArray()).ToArray();
        _uplinkLimited = [.. _region.Select(r => !_upload[r].IsUnlimited)];
        _downlinkLimited = [.. _region.Select(r => !_download[r].IsUnlimited)];
        HasLinkCaps = charged && spec.InterRegionLimit is not null && n > 1;
        HasBandwidthLimits = _upload.Any(b => !b.IsUnlimited) || _download.Any(b => !b.IsUnlimited) || HasLinkCaps;
        Lookahead = spec.MinimumLatency;
        DelaysNonNegative = spec.Rules == NetworkRules.SimBlock
            ? spec.BaseLatency.All(row => row.All(d => SimBlockMinimumNanos(d) >= 0))
            : (spec.JitterFactor?.Minimum ?? 1.0) >= 0
              && spec.BaseLatency.All(row => row.All(d => d.Nanos * (spec.JitterFactor?.Minimum ?? 1.0) + (spec.Jitter?.Minimum ?? 0.0) * 1e9 >= 0));
        Conditions = new NetworkConditions(_region.Length);
    }

    public NetworkSpec Spec => _spec;
    public Duration Lookahead { get; }
    /// <summary>No propagation delay this network draws can be negative (latency spikes and slow
    /// links only multiply by at least 1), so nothing sent at t arrives before t.</summary>
    public bool DelaysNonNegative { get; }
    public NetworkConditions Conditions { get; }

    /// <summary>Does the kernel charge any bandwidth in this network (some finite upload, download or cap)?</summary>
    public bool HasBandwidthLimits { get; }

    /// <summary>Does any link between regions have a cap of its own?</summary>
    public bool HasLinkCaps { get; }

    /// <summary>Is <paramref name="node"/>'s uplink limited (so its messages queue there)?</summary>
    public bool HasUplinkLimit(int node) => _uplinkLimited[node];

    /// <summary>Is <paramref name="node"/>'s downlink limited (so messages to it queue there)?</summary>
    public bool HasDownlinkLimit(int node) => _downlinkLimited[node];

    /// <summary>The download capacity of <paramref name="node"/>'s downlink (unlimited under SimBlock's rules).</summary>
    public Bandwidth DownloadOf(int node) => _download[_region[node]];

    /// <summary>
    /// Step 1 at the sender: puts the message on the sender's <paramref name="uplink"/> (null when
    /// its upload is unlimited) at <paramref name="now"/> and through the link's cap, if any. Returns when its last bit leaves;
    /// <paramref name="firstBitLeaves"/> is when its first bit does, and
    /// <paramref name="uplinkDone"/> when the sender's NIC has sent all of it.
    /// </summary>
    public SimTime Transmit(int from, int to, int sizeBytes, SimTime now, Uplink? uplink, ref LinkState link,
                           out SimTime firstBitLeaves, out SimTime uplinkDone)
    {
        var up = _upload[_region[from]];
        var start = now;
        uplinkDone = now;
        if (!up.IsUnlimited)
        {
            var tx = up.TransmissionTime(sizeBytes);
            start = uplink!.Occupy(now, tx);
            uplinkDone = start + tx;
        }
        var cap = _linkCap[_region[from]][_region[to]];
        firstBitLeaves = start;
        if (cap.IsUnlimited) return uplinkDone;
        // The cap is the link's own queue: its work starts when the bits start coming and the
        // link has carried the messages before this one.
        firstBitLeaves = SimTime.Max(start, link.CapFreeAt);
        link.CapFreeAt = firstBitLeaves + cap.TransmissionTime(sizeBytes);
        return SimTime.Max(uplinkDone, link.CapFreeAt);
    }

    /// <summary>
    /// Step 2 at the sender: the bits that leave at <paramref name="firstBitLeaves"/> …
    /// <paramref name="lastBitLeaves"/> arrive after the link's latency. Returns false if the message
    /// is lost; <paramref name="duplicate"/> is set when the network also delivers a copy.
    /// </summary>
    public bool Propagate(int from, int to, SimTime firstBitLeaves, SimTime lastBitLeaves, SimRandom rng, ref LinkState link,
                          out Arrival arrival, out Arrival? duplicate)
    {
        duplicate = null;
        var propagation = Propagation(from, to, rng);
        arrival = Fifo(new Arrival(firstBitLeaves + propagation, lastBitLeaves + propagation), ref link);

        var loss = _spec.Loss + Conditions.ExtraLoss;
        if (loss > 0 && rng.Chance(loss)) return false;
        if (_spec.Duplication > 0 && rng.Chance(_spec.Duplication))
        {
            var again = Propagation(from, to, rng);
            duplicate = Fifo(new Arrival(firstBitLeaves + again, lastBitLeaves + again), ref link);
        }
        return true;
    }

    // Per-link FIFO: no bit of a message arrives before the same bit of an earlier one.
    private Arrival Fifo(Arrival a, ref LinkState link)
    {
        if (!_spec.Fifo) return a;
        var first = SimTime.Max(a.FirstBit, link.LastFirstBit);
        var last = SimTime.Max(SimTime.Max(a.LastBit, link.LastLastBit), first);
        link.LastFirstBit = first;
        link.LastLastBit = last;
        return new Arrival(first, last);
    }

    private Duration Propagation(int from, int to, SimRandom rng)
    {
        int a = _region[from], b = _region[to];
        double ns;
        if (_spec.Rules == NetworkRules.SimBlock)
        {
            // SimBlock, Network.getLatency: Math.round(scale / Math.pow(U, 1 / shape)) ms; U in (0, 1] here
            // (Java's nextDouble can return 0, which would make the delay infinite).
            var u = 1.0 - rng.NextDouble();
            var ms = Math.Floor(_paretoScaleMs[a][b] / Math.Pow(u, 1.0 / _paretoShape[a][b]) + 0.5);
            ns = Math.Min(ms * 1e6, MaxDelayNanos);
        }
        else
        {
            ns = _baseNanos[a][b];
            if (_spec.JitterFactor is { } f) ns *= f.Sample(rng);
            if (_spec.Jitter is { } j) ns += j.Sample(rng) * 1e9;
        }
        var slow = Conditions.SlowFactor(from, to);
        if (slow != 1) ns = Math.Min(ns * slow, MaxDelayNanos);
        return Duration.FromNanos((long)Math.Floor(ns));
    }

    // A heavy tail must not overflow virtual time: no single delay exceeds about 10 years.
    private const double MaxDelayNanos = 3e17;

    /// <summary>The smallest delay SimBlock's Pareto draws for a link of mean <paramref name="mean"/>: its scale, rounded as SimBlock rounds.</summary>
    public static long SimBlockMinimumNanos(Duration mean) => (long)(Math.Floor(mean.Nanos / 1e6 - 5 + 0.5) * 1e6);
}

/// <summary>When a message's first and last bits reach the receiver's NIC.</summary>
public readonly record struct Arrival(SimTime FirstBit, SimTime LastBit);

/// <summary>A sender's state for one outgoing link: its cap's queue and its FIFO horizon (a struct,
/// kept inline in the sender's link table: one cache line per lookup instead of a chain of objects).</summary>
public struct LinkState
{
    public SimTime CapFreeAt;
    public SimTime LastFirstBit;
    public SimTime LastLastBit;
}
