using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Sim.Network;

/// <summary>
/// The network of a run, fixed for its duration (faults change conditions on top of it):
/// one-way latency = base(region of sender, region of receiver) × factor + jitter,
/// transmission = size / min(sender upload, receiver download, link limit), queued per link.
/// </summary>
public sealed record NetworkSpec
{
    public IReadOnlyList<string> Regions { get; init; } = ["default"];

    /// <summary>One-way base latency [from][to] between regions. Defaults to zero.</summary>
    public Duration[][] BaseLatency { get; init; } = [[Duration.Zero]];

    /// <summary>Additive jitter in seconds, drawn per message (null: none).</summary>
    public Distribution? Jitter { get; init; }

    /// <summary>Multiplicative factor on the base latency, drawn per message (null: 1).</summary>
    public Distribution? JitterFactor { get; init; }

    /// <summary>Per-region node upload and download capacity (index = region).</summary>
    public Bandwidth[]? Upload { get; init; }
    public Bandwidth[]? Download { get; init; }

    /// <summary>Capacity of any single link, e.g. SimBlock's 6 Mbps between regions (null: no limit).</summary>
    public Bandwidth? InterRegionLimit { get; init; }

    public double Loss { get; init; }
    public double Duplication { get; init; }

    /// <summary>Per-link FIFO: a message never overtakes an earlier one on the same link.</summary>
    public bool Fifo { get; init; } = true;

    /// <summary>A single-region network with one distribution of one-way latency.</summary>
    public static NetworkSpec Simple(Distribution latency) => new() { Jitter = latency };

    public static NetworkSpec Constant(Duration oneWay) => new() { BaseLatency = [[oneWay]] };

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
    }
}
