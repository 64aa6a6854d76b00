using Lab.Consensus.Pow;
using Lab.Consensus.Pow.SimBlock;
using Lab.Sim.Randomness;

namespace Lab.Consensus.Tests.Pow;

public class SimBlockTopologyTests
{
    // Expected counts worked out by hand from SimBlock's Main.makeRandomListFollowDistribution with
    // its double arithmetic: index i is appended while size ≤ n·F(i), so ⌊n·F(i)⌋ + 1 entries up to
    // i; the 2019 region shares add up to exactly 1.0, so the list holds n + 1 entries and one random
    // entry belongs to no node.
    [Fact]
    public void Regions_follow_SimBlock_counts_for_6000_nodes()
    {
        var t = SimBlockTopology.Build(6000, SimBlockRules.RegionSharesBitcoin2019, SimBlockRules.Current, seed: 5);
        int[] simBlockList = [1990, 2999, 54, 706, 135, 117]; // 6,001 entries
        var counts = Enumerable.Range(0, 6).Select(r => t.Region.Count(x => x == r)).ToArray();
        Assert.Equal(6000, counts.Sum());
        for (int r = 0; r < 6; r++) Assert.InRange(counts[r], simBlockList[r] - 1, simBlockList[r]);
    }

    [Fact]
    public void Outbound_degrees_follow_the_Bitcoin_2015_table_from_1_to_20()
    {
        var t = SimBlockTopology.Build(6000, SimBlockRules.RegionSharesBitcoin2019, SimBlockRules.Current, seed: 5);
        int[] simBlockList = [151, 150, 150, 150, 600, 600, 600, 600, 600, 600, 600, 300, 300, 300, 120, 0, 60, 60, 30, 30];
        for (int d = 1; d <= 20; d++) Assert.InRange(t.Outbound.Count(x => x == d), simBlockList[d - 1] - 1, simBlockList[d - 1]);
        Assert.Equal(0, t.Outbound.Count(x => x < 1 || x > 20));
        Assert.InRange(t.Outbound.Average(), 8.6, 8.7); // the table's mean is 8.645
    }

    [Fact]
    public void Compact_block_and_churn_shares_are_SimBlock_exact_counts()
    {
        // Main.makeRandomList: i < n × rate in single precision: 6000 × 0.964f = 5784, 6000 × 0.976f = 5856.
        var t = SimBlockTopology.Build(6000, SimBlockRules.RegionSharesBitcoin2019, SimBlockRules.Current, seed: 5);
        Assert.Equal(5784, t.UsesCompactBlocks.Count(x => x));
        Assert.Equal(5856, t.IsChurnNode.Count(x => x));
        var none = SimBlockTopology.Build(6000, SimBlockRules.RegionSharesBitcoin2019, SimBlockRules.Current with { CbrUsageRate = 0 }, seed: 5);
        Assert.DoesNotContain(true, none.UsesCompactBlocks);
    }

    [Fact]
    public void The_refetch_tables_are_SimBlock_arrays()
    {
        // CBR_FAILURE_BLOCK_SIZE_DISTRIBUTION_FOR_CONTROL_NODE: 210 × 0.01; ..._FOR_CHURN_NODE: 945 entries, mean 0.0872275.
        Assert.Equal(210, SimBlockRules.RefetchFractionsControl.Count);
        Assert.All(SimBlockRules.RefetchFractionsControl, f => Assert.Equal(0.01f, f));
        Assert.Equal(945, SimBlockRules.RefetchFractionsChurn.Count);
        Assert.Equal(0.0872275, SimBlockRules.RefetchFractionsChurn.Average(f => (double)f), 6);
        Assert.Equal(0.96f, SimBlockRules.RefetchFractionsChurn[^1]);
        Assert.Equal(546, SimBlockRules.RefetchFractionsChurn.Count(f => f == 0.01f));
    }

    [Fact]
    public void SimBlock_graph_gives_every_node_its_outbound_links_and_no_inbound_limit()
    {
        int[] outbound = [.. Enumerable.Repeat(3, 50)];
        outbound[0] = 20;
        var g = PeerGraph.Random(50, outbound, SimRandom.Stream(1, "t"));
        Assert.True(g.PeersOf(0).Count >= 20);
        Assert.Equal(20 + 49 * 3, g.Links);
        Assert.All(Enumerable.Range(0, 50), i => Assert.DoesNotContain(i, g.PeersOf(i)));
    }
}
