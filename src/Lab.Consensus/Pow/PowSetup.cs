using Lab.Consensus.Pow.SimBlock;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Pow;

/// <summary>
/// What every node of one run shares, read-only during the run: options, peer graph, hash shares,
/// regions, link capacities (so a node can pace its own uplink), SimBlock's layout when its relay
/// runs, and the transaction pool (written only between windows, see <see cref="TxPool"/>).
/// </summary>
public sealed class PowSetup
{
    private readonly Bandwidth[][] _capacity;
    private readonly double[] _hashShare;
    private readonly int[] _region;
    private readonly long[][] _simBlockBitsPerMilli;

    /// <param name="gateways">Nodes 0..gateways−1 take transactions from clients (see <see cref="IsGateway"/>).</param>
    public PowSetup(PowOptions options, PeerGraph peers, double[] hashShare, int[] region, NetworkSpec network, int gateways, SimBlockTopology? simBlock = null)
    {
        Options = options;
        Peers = peers;
        _hashShare = hashShare;
        _region = region;
        Gateways = gateways;
        SimBlock = simBlock;
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
        Pool = new TxPool(options.TxRelayDelay);
        Steps = [.. options.HashRateSteps.OrderBy(s => s.At.Nanos)];
    }

    public PowOptions Options { get; }
    public PeerGraph Peers { get; }
    public PowBlock Genesis { get; }
    /// <summary>The run's transactions, in the order miners see them.</summary>
    public TxPool Pool { get; }
    public IReadOnlyList<HashRateStep> Steps { get; }
    public int NodeCount => _region.Length;
    /// <summary>How many nodes (the first ones) clients submit to: client node i talks to node i mod n.</summary>
    public int Gateways { get; }
    /// <summary>SimBlock's layout of the nodes (compact-block and churn flags), for <see cref="PowRelay.SimBlock"/>; else null.</summary>
    public SimBlockTopology? SimBlock { get; }

    public double HashShare(int node) => _hashShare[node];
    public int Region(int node) => _region[node];
    public bool IsGateway(int node) => node < Gateways;

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
}
