using Lab.Consensus.Common;
using Lab.Consensus.Pow.SimBlock;
using Lab.Sim.Randomness;

namespace Lab.Consensus.Pow;

/// <summary>
/// Lays out a proof-of-work network for one run: each node's region, its hash share, the peer graph
/// and, under SimBlock's relay, SimBlock's node flags. Everything random comes from the run seed
/// through named streams, so the same seed gives the same network.
/// </summary>
public static class PowLayout
{
    public static PowSetup Build(PowOptions options, ChainSite site)
    {
        var n = site.Replicas;
        options.Validate(n);
        site.Network.Validate();
        var regions = site.Network.Regions.Count;
        IReadOnlyList<double>? shares = options.RegionShares;
        if (shares is not null && shares.Count != regions)
            throw new ArgumentException($"one node share per region: got {shares.Count} for {regions} regions");
        // Shares that do not add up to 1 are scaled (SimBlock's counting fills any rest with a region that does not exist).
        if (shares is not null && Math.Abs(shares.Sum() - 1) > 1e-9) shares = [.. shares.Select(x => x / shares.Sum())];

        int[] region;
        PeerGraph peers;
        SimBlockTopology? simBlock = null;
        if (options.Relay == PowRelay.SimBlock)
        {
            // SimBlock's own layout: exact counts per region and per degree, its compact-block and churn shares.
            simBlock = SimBlockTopology.Build(n, shares ?? [.. Enumerable.Repeat(1.0 / regions, regions)], options.SimBlock, site.Seed);
            region = [.. simBlock.Region];
            peers = options.FullMesh ? PeerGraph.FullMesh(n) : PeerGraph.Random(n, simBlock.Outbound, SimRandom.Stream(site.Seed, "pow-peers"));
        }
        else
        {
            region = shares is null
                ? [.. Enumerable.Range(0, n).Select(i => i % regions)]
                : SimBlockTopology.FollowDistribution(n, shares, cumulative: false, SimRandom.Stream(site.Seed, "pow-regions"));
            peers = options.FullMesh ? PeerGraph.FullMesh(n) : PeerGraph.Random(n, options, SimRandom.Stream(site.Seed, "pow-peers"));
        }
        var hashShares = HashShares(options, n, SimRandom.Stream(site.Seed, "pow-hash-power"));
        // Submitting nodes follow the replicas; node i submits to node i mod n (FinalityRule: gateway).
        var gateways = Math.Min(n, site.Nodes - n);
        return new PowSetup(options, peers, hashShares, region, site.Network, gateways, simBlock);
    }

    /// <summary>Hash share of each node, summing to 1: the attacker's share exactly, the rest split by <see cref="PowOptions.HashPower"/> draws.</summary>
    private static double[] HashShares(PowOptions o, int n, SimRandom rng)
    {
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
