using Lab.Sim.Randomness;

namespace Lab.Consensus.Pow.SimBlock;

/// <summary>
/// How SimBlock lays out its nodes before a run (<c>simulator/Main.java</c>,
/// <c>constructNetworkWithAllNodes</c>): regions and outbound degrees are exact counts from a
/// distribution, shuffled (<c>makeRandomListFollowDistribution</c>); compact-block and churn flags
/// are exact shares, shuffled (<c>makeRandomList</c>). Each list uses its own seeded stream here
/// (SimBlock draws everything from one <c>java.util.Random</c>), so the counts are SimBlock's and
/// the shuffles are not its exact permutations.
/// </summary>
public sealed class SimBlockTopology
{
    private SimBlockTopology(int[] region, int[] outbound, bool[] cbr, bool[] churn)
    {
        Region = region;
        Outbound = outbound;
        UsesCompactBlocks = cbr;
        IsChurnNode = churn;
    }

    /// <summary>Region index of each node.</summary>
    public IReadOnlyList<int> Region { get; }
    /// <summary>Outbound links each node opens (1 to 20 with SimBlock's degree table).</summary>
    public IReadOnlyList<int> Outbound { get; }
    /// <summary>Whether each node speaks compact block relay.</summary>
    public IReadOnlyList<bool> UsesCompactBlocks { get; }
    /// <summary>Whether each node is a churn node (fails compact blocks more often).</summary>
    public IReadOnlyList<bool> IsChurnNode { get; }

    /// <param name="regionShares">Share of nodes per region (e.g. <see cref="SimBlockRules.RegionSharesBitcoin2019"/>).</param>
    public static SimBlockTopology Build(int n, IReadOnlyList<double> regionShares, SimBlockRules rules, ulong seed)
    {
        var region = FollowDistribution(n, regionShares, cumulative: false, SimRandom.Stream(seed, "simblock-regions"));
        // Main.java: new Node(id, degreeList.get(id - 1) + 1, ...): the table's index 0 means one link.
        var degree = FollowDistribution(n, SimBlockRules.OutboundDegreeCdfBitcoin2015, cumulative: true, SimRandom.Stream(seed, "simblock-degrees"));
        for (int i = 0; i < n; i++) degree[i]++;
        if (region.Any(r => r >= regionShares.Count))
            throw new ArgumentException("region shares must add up to 1 (SimBlock fills the rest with a region that does not exist)");
        var cbr = Flags(n, rules.CbrUsageRate, SimRandom.Stream(seed, "simblock-cbr"));
        var churn = Flags(n, rules.ChurnNodeRate, SimRandom.Stream(seed, "simblock-churn"));
        return new SimBlockTopology(region, degree, cbr, churn);
    }

    /// <summary>
    /// <c>Main.makeRandomListFollowDistribution</c>, literally: index i is appended while the list
    /// holds at most n × (cumulative share up to i) entries (so ⌊n·F(i)⌋ + 1 in all, "≤" included),
    /// the rest is filled with the index past the table, the list is shuffled, and node k takes entry k.
    /// The list may be one longer than n; its last entry then belongs to no node.
    /// </summary>
    public static int[] FollowDistribution(int n, IReadOnlyList<double> distribution, bool cumulative, SimRandom rng)
    {
        var list = new List<int>(n + 1);
        double accumulated = 0.0;
        int index = 0;
        for (; index < distribution.Count; index++)
        {
            if (cumulative) accumulated = distribution[index];
            else accumulated += distribution[index];
            while (list.Count <= n * accumulated) list.Add(index);
        }
        while (list.Count < n) list.Add(index);
        Shuffle(list, rng);
        return [.. list.Take(n)];
    }

    /// <summary><c>Main.makeRandomList</c>: node i is flagged when i &lt; n × rate (in single precision, as in Java), then shuffled.</summary>
    public static bool[] Flags(int n, float rate, SimRandom rng)
    {
        var list = new List<bool>(n);
        for (int i = 0; i < n; i++) list.Add(i < n * rate);
        Shuffle(list, rng);
        return [.. list];
    }

    // Fisher–Yates, as java.util.Collections.shuffle does it (from the end).
    private static void Shuffle<T>(List<T> list, SimRandom rng)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
