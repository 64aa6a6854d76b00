using Lab.Consensus.Pow.SimBlock;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Randomness;

namespace Lab.Consensus.Pow;

/// <summary>
/// Builds a proof-of-work world: node placement by region, hash shares, the peer graph and one
/// behaviour per node (node 0 is the attacker when <see cref="PowOptions.Attack"/> is set).
/// Everything random here comes from the run seed through named streams.
/// </summary>
public static class PowWorld
{
    /// <param name="network">The run's network; its regions, latency and bandwidth are used as they are.</param>
    /// <param name="regionWeights">Share of nodes per region of <paramref name="network"/> (null: equal shares).</param>
    /// <param name="seed">The run seed (the same one given to the simulation).</param>
    public static PowRun Build(PowOptions options, NetworkSpec network, IReadOnlyList<double>? regionWeights, ulong seed)
    {
        options.Validate();
        network.Validate();
        var n = options.Nodes;
        int[] regions;
        PeerGraph peers;
        SimBlockTopology? simBlock = null;
        if (options.Relay == PowRelay.SimBlock)
        {
            // SimBlock's own layout: exact counts per region and per degree, its compact-block and churn shares.
            IReadOnlyList<double> shares = regionWeights ?? [.. Enumerable.Repeat(1.0 / network.Regions.Count, network.Regions.Count)];
            if (shares.Count != network.Regions.Count) throw new ArgumentException($"one node share per region: got {shares.Count} for {network.Regions.Count} regions");
            // SimBlock's shares add up to 1; others are scaled to (its counting fills any rest with a region that does not exist).
            var total = shares.Sum();
            if (Math.Abs(total - 1) > 1e-9) shares = [.. shares.Select(x => x / total)];
            simBlock = SimBlockTopology.Build(n, shares, options.SimBlock, seed);
            regions = [.. simBlock.Region];
            peers = options.FullMesh ? PeerGraph.FullMesh(n) : PeerGraph.Random(n, simBlock.Outbound, SimRandom.Stream(seed, "pow-peers"));
        }
        else
        {
            regions = PlaceNodes(n, network.Regions.Count, regionWeights, SimRandom.Stream(seed, "pow-regions"));
            peers = options.FullMesh ? PeerGraph.FullMesh(n) : PeerGraph.Random(n, options, SimRandom.Stream(seed, "pow-peers"));
        }
        var hashShares = HashShares(options, SimRandom.Stream(seed, "pow-hash-power"));
        var setup = new PowSetup(options, peers, hashShares, regions, network, simBlock);
        var nodes = new NodeSpec[n];
        for (int i = 0; i < n; i++)
        {
            var id = i;
            var (kind, factory) = (i, options.Attack) switch
            {
                (0, SelfishMiningAttack) => ("selfish-miner", (Func<INodeBehaviour>)(() => new SelfishMiner(setup, id))),
                (0, DoubleSpendAttack) => ("double-spender", () => new DoubleSpender(setup, id)),
                _ => (hashShares[i] > 0 ? "miner" : "node", () => new PowNode(setup, id)),
            };
            nodes[i] = new NodeSpec($"n{i}", regions[i], kind, factory);
        }
        return new PowRun(setup, nodes, network);
    }

    /// <summary>Region of each node, drawn from the weights (SimBlock places nodes the same way).</summary>
    private static int[] PlaceNodes(int n, int regionCount, IReadOnlyList<double>? weights, SimRandom rng)
    {
        var w = weights ?? Enumerable.Repeat(1.0, regionCount).ToArray();
        if (w.Count != regionCount) throw new ArgumentException($"one node weight per region: got {w.Count} for {regionCount} regions");
        if (w.Any(x => x < 0) || w.Sum() <= 0) throw new ArgumentException("region weights must be ≥ 0 and not all zero");
        var total = w.Sum();
        var regions = new int[n];
        for (int i = 0; i < n; i++)
        {
            var u = rng.NextDouble() * total;
            int r = 0;
            while (r < regionCount - 1 && u >= w[r]) { u -= w[r]; r++; }
            regions[i] = r;
        }
        return regions;
    }

    /// <summary>Hash share of each node, summing to 1: the attacker's share exactly, the rest split by <see cref="PowOptions.HashPower"/> draws.</summary>
    private static double[] HashShares(PowOptions o, SimRandom rng)
    {
        var n = o.Nodes;
        var miners = o.Miners ?? n;
        var shares = new double[n];
        var first = o.Attack is null ? 0 : 1;
        double honest = 0;
        for (int i = first; i < miners; i++)
        {
            shares[i] = Math.Max(1e-9, o.HashPower?.Sample(rng) ?? 1.0);
            honest += shares[i];
        }
        var honestTotal = 1 - (o.Attack?.HashShare ?? 0);
        if (honest <= 0) throw new ArgumentException("at least one honest miner is needed");
        for (int i = first; i < miners; i++) shares[i] *= honestTotal / honest;
        if (o.Attack is { } a) shares[0] = a.HashShare;
        return shares;
    }
}
