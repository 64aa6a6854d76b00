using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Pow;

/// <summary>
/// What every node of one run shares, read-only: options, peer graph, hash shares, regions and the
/// link capacities (the same rule as the kernel's network model, so a node can pace its uplink).
/// </summary>
public sealed class PowSetup
{
    private readonly Bandwidth[][] _capacity;
    private readonly double[] _hashShare;
    private readonly int[] _region;

    public PowSetup(PowOptions options, PeerGraph peers, double[] hashShare, int[] region, NetworkSpec network)
    {
        Options = options;
        Peers = peers;
        _hashShare = hashShare;
        _region = region;
        var n = network.Regions.Count;
        _capacity = new Bandwidth[n][];
        for (int a = 0; a < n; a++)
        {
            _capacity[a] = new Bandwidth[n];
            for (int b = 0; b < n; b++)
            {
                var cap = Bandwidth.Min(network.Upload?[a] ?? Bandwidth.Unlimited, network.Download?[b] ?? Bandwidth.Unlimited);
                if (a != b && network.InterRegionLimit is { } lim) cap = Bandwidth.Min(cap, lim);
                _capacity[a][b] = cap;
            }
        }
        Genesis = PowBlock.Genesis();
        MaxTxPerBlock = (options.MaxBlockBytes - options.HeaderBytes) / options.TxBytes;
        Steps = [.. options.HashRateSteps.OrderBy(s => s.At.Nanos)];
    }

    public PowOptions Options { get; }
    public PeerGraph Peers { get; }
    public PowBlock Genesis { get; }
    public int MaxTxPerBlock { get; }
    public IReadOnlyList<HashRateStep> Steps { get; }
    public int NodeCount => _region.Length;

    public double HashShare(int node) => _hashShare[node];
    public int Region(int node) => _region[node];

    /// <summary>Time to put <paramref name="bytes"/> on the link (upload of sender, download of receiver, inter-region cap).</summary>
    public Duration TransmissionTime(int from, int to, int bytes) => _capacity[_region[from]][_region[to]].TransmissionTime(bytes);

    /// <summary>Hash-rate multiplier in force at <paramref name="t"/>.</summary>
    public double HashFactor(SimTime t)
    {
        double f = 1;
        foreach (var s in Steps) if (s.At <= t) f = s.Factor;
        return f;
    }

    /// <summary>Transactions that have arrived network-wide by <paramref name="t"/> (evenly spaced arrivals).</summary>
    public long TxArrived(SimTime t) => Options.TxPerSecond <= 0 ? 0 : (long)Math.Floor(t.Nanos * Options.TxPerSecond / 1e9);

    /// <summary>Arrival time of transaction <paramref name="index"/> (0-based).</summary>
    public SimTime TxArrival(long index) => new((long)Math.Ceiling((index + 1) * 1e9 / Options.TxPerSecond));
}
