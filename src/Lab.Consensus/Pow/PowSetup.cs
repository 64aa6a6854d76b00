using Lab.Consensus.Pow.SimBlock;
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
    private readonly long[][] _simBlockBitsPerMilli;

    public PowSetup(PowOptions options, PeerGraph peers, double[] hashShare, int[] region, NetworkSpec network, SimBlockTopology? simBlock = null)
    {
        SimBlock = simBlock;
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
        // SimBlock's Network.getBandwidth: min(upload of the sender's region, download of the
        // receiver's region), in bit/s as a long; Node.sendNextBlockMessage divides it by 1000.
        _simBlockBitsPerMilli = [.. Enumerable.Range(0, n).Select(a => Enumerable.Range(0, n).Select(b =>
        {
            var rate = Bandwidth.Min(network.Upload?[a] ?? Bandwidth.Unlimited, network.Download?[b] ?? Bandwidth.Unlimited);
            return rate.IsUnlimited ? long.MaxValue : Math.Max(1, (long)rate.BitsPerSecond / 1000);
        }).ToArray())];
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
    /// <summary>SimBlock's layout of the nodes (compact-block and churn flags), for <see cref="PowRelay.SimBlock"/>; else null.</summary>
    public SimBlockTopology? SimBlock { get; }

    public double HashShare(int node) => _hashShare[node];
    public int Region(int node) => _region[node];

    /// <summary>Time to put <paramref name="bytes"/> on the link (upload of sender, download of receiver, inter-region cap).</summary>
    public Duration TransmissionTime(int from, int to, int bytes) => _capacity[_region[from]][_region[to]].TransmissionTime(bytes);

    /// <summary>SimBlock's transfer rate from <paramref name="from"/> to <paramref name="to"/> in bits per millisecond (whole bits, as SimBlock's long arithmetic).</summary>
    public long SimBlockBitsPerMilli(int from, int to) => _simBlockBitsPerMilli[_region[from]][_region[to]];

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
