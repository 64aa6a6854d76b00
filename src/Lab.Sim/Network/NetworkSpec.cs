using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Sim.Network;

/// <summary>
/// The network of a run, fixed for its duration (faults change conditions on top of it). Under the
/// default <see cref="NetworkRules.Nic"/> rules: one-way latency = base(region of sender, region of
/// receiver) × factor + jitter; bandwidth is a NIC per node (one uplink, one downlink, shared by all
/// of the node's transfers) with an optional cap per link between regions. See
/// <see cref="NetworkModel"/> for the exact rules and <see cref="NetworkRules.SimBlock"/> for the other.
/// </summary>
public sealed record NetworkSpec
{
    /// <summary>The rules that turn a message into an arrival time. Default <see cref="NetworkRules.Nic"/>.</summary>
    public NetworkRules Rules { get; init; } = NetworkRules.Nic;

    public IReadOnlyList<string> Regions { get; init; } = ["default"];

    /// <summary>One-way base latency [from][to] between regions. Defaults to zero.</summary>
    public Duration[][] BaseLatency { get; init; } = [[Duration.Zero]];

    /// <summary>Additive jitter in seconds, drawn per message (null: none).</summary>
    public Distribution? Jitter { get; init; }

    /// <summary>Multiplicative factor on the base latency, drawn per message (null: 1).</summary>
    public Distribution? JitterFactor { get; init; }

    /// <summary>Upload capacity of each node's uplink, by the node's region (index = region; null: unlimited).</summary>
    public Bandwidth[]? Upload { get; init; }
    /// <summary>Download capacity of each node's downlink, by the node's region (index = region; null: unlimited).</summary>
    public Bandwidth[]? Download { get; init; }

    /// <summary>
    /// Capacity of any single link between two different regions, on top of the NICs (null: no cap).
    /// Only for networks that mean it; SimBlock declares such a limit but never applies it, and its
    /// rules refuse one.
    /// </summary>
    public Bandwidth? InterRegionLimit { get; init; }

    public double Loss { get; init; }
    public double Duplication { get; init; }

    /// <summary>Per-link FIFO: a message never overtakes an earlier one on the same link.</summary>
    public bool Fifo { get; init; } = true;

    /// <summary>A single-region network with one distribution of one-way latency.</summary>
    public static NetworkSpec Simple(Distribution latency) => new() { Jitter = latency };

    public static NetworkSpec Constant(Duration oneWay) => new() { BaseLatency = [[oneWay]] };

    /// <summary>
    /// The rate of one transfer from a node in <paramref name="fromRegion"/> to a node in
    /// <paramref name="toRegion"/> when nothing else competes: min(sender's upload, receiver's
    /// download). This is SimBlock's <c>Network.getBandwidth</c>; under the NIC rules the kernel's
    /// queues and the per-link cap come on top of it.
    /// </summary>
    public Bandwidth TransferRate(int fromRegion, int toRegion) =>
        Bandwidth.Min(Upload?[fromRegion] ?? Bandwidth.Unlimited, Download?[toRegion] ?? Bandwidth.Unlimited);

    /// <summary>SimBlock's smallest mean latency: its Pareto scale (mean − 5 ms) must be positive.</summary>
    public static readonly Duration SimBlockLatencyFloor = Duration.FromMillis(5);

    public int RegionIndex(string name)
    {
        for (int i = 0; i < Regions.Count; i++) if (Regions[i] == name) return i;
        return -1;
    }

    /// <summary>The smallest one-way latency this network can produce: the kernel's lookahead.</summary>
    public Duration MinimumLatency
    {
        get
        {
            if (Rules == NetworkRules.SimBlock)
            {
                // The Pareto never draws below its scale; SimBlock rounds to whole milliseconds.
                long least = long.MaxValue;
                foreach (var row in BaseLatency)
                    foreach (var d in row)
                        least = Math.Min(least, NetworkModel.SimBlockMinimumNanos(d));
                return Duration.FromNanos(least == long.MaxValue ? 0 : least);
            }
            var minFactor = JitterFactor?.Minimum ?? 1.0;
            var minJitter = Jitter?.Minimum ?? 0.0;
            long min = long.MaxValue;
            foreach (var row in BaseLatency)
                foreach (var d in row)
                    min = Math.Min(min, (long)Math.Floor(d.Nanos * minFactor + minJitter * 1e9));
            return Duration.FromNanos(Math.Max(0, min == long.MaxValue ? 0 : min));
        }
    }

    public void Validate()
    {
        if (BaseLatency.Length != Regions.Count || BaseLatency.Any(r => r.Length != Regions.Count))
            throw new ArgumentException($"latency matrix must be {Regions.Count}×{Regions.Count} (one row and column per region)");
        if (Loss is < 0 or > 1) throw new ArgumentException("loss must be a probability in [0, 1]");
        if (Duplication is < 0 or > 1) throw new ArgumentException("duplication must be a probability in [0, 1]");
        if (Upload is { } up && up.Length != Regions.Count) throw new ArgumentException("one upload bandwidth per region");
        if (Download is { } down && down.Length != Regions.Count) throw new ArgumentException("one download bandwidth per region");
        if (Rules == NetworkRules.SimBlock)
        {
            if (Jitter is not null || JitterFactor is not null)
                throw new ArgumentException("the simblock network draws its own Pareto delay around the latency matrix; it takes no jitter or jitter-factor");
            if (InterRegionLimit is not null)
                throw new ArgumentException("the simblock network has no per-link cap (SimBlock declares one but never applies it)");
            foreach (var row in BaseLatency)
                foreach (var d in row)
                    if (d <= SimBlockLatencyFloor)
                        throw new ArgumentException($"the simblock network needs every mean latency above {SimBlockLatencyFloor} (its Pareto scale is mean − 5 ms), got {d}");
        }
    }
}
