using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.HotStuff;
using Lab.Consensus.Tests.Byzantine;
using Lab.Ledger.Batching;
using Lab.Sim.Faults;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.HotStuff;

public class HotStuffTests
{
    private static readonly Duration D = BftRun.D;
    private static SimTime At(double s) => SimTime.Zero + Duration.FromSeconds(s);

    private static BftRun OneRequest(bool twoChain, Duration length) =>
        BftRun.Create(new HotStuffProtocol(new HotStuffOptions { Costs = AuthenticationCosts.Free, Block = new BlockOptions { BatchTimeout = Duration.Zero }, TwoChain = twoChain }), 4,
            BftRun.OneRequest, NetworkSpec.Constant(D), length).Run();

    [Fact]
    public void Three_chain_commits_a_node_7d_after_its_proposal_and_6d_at_the_leader_three_views_later()
    {
        // Each view takes 2d (proposal d, vote to the next leader d). The request reaches every replica
        // at d; view 1's leader proposed at 0 (empty), so view 2's leaf (height 2, proposed by n2 at 2d)
        // carries it. Its QC rides in view 3's proposal, which locks, view 4's QC... the node commits when
        // the proposal of view 5 (sent at 8d, carrying QC of view 4) arrives: 9d, i.e. 7d after proposal.
        // The leader of view 5 (n1) forms that QC itself at 8d.
        var run = OneRequest(twoChain: false, Duration.FromMillis(200));
        for (int r = 0; r < 4; r++)
        {
            var block = run.Log(r)[1];
            Assert.Equal(1, block.Transactions);
            Assert.Equal(SimTime.Zero + D * (r == 1 ? 8 : 9), block.At);
        }
        // f+1 = 2 replies: n1's (sent 8d) arrives at 9d, the others' (sent 9d) at 10d.
        Assert.Equal((D * 10).TotalSeconds, Assert.Single(run.Latencies), 9);
    }

    [Fact]
    public void Two_chain_commits_one_view_earlier()
    {
        // Jolteon rule: height 2 (view 2) commits when QC(view 3) is seen: view 4's proposal, sent at 6d.
        var run = OneRequest(twoChain: true, Duration.FromMillis(200));
        for (int r = 0; r < 4; r++)
            Assert.Equal(SimTime.Zero + D * (r == 0 ? 6 : 7), run.Log(r)[1].At);
        Assert.Equal((D * 8).TotalSeconds, Assert.Single(run.Latencies), 9);
    }

    [Fact]
    public void A_view_costs_n_minus_1_proposals_and_n_minus_1_votes()
    {
        // Proposals leave at 0, 2d, 4d, ...; in 1.005 s, 50 of them (sent up to 0.98 s) arrive, each at
        // 3 replicas; the 50 corresponding vote rounds (3 remote votes each: the next leader's own vote
        // is local) arrive too. So 6 messages per view for n = 4, linear in n.
        var run = OneRequest(twoChain: false, Duration.FromMillis(1005));
        Assert.Equal(150, run.Count(nameof(Proposal)));
        Assert.Equal(150, run.Count(nameof(Vote)));
        Assert.Equal(0, run.Count(nameof(NewView)));
        var committed = run.Log(0).Count;
        Assert.True(committed >= 46);
        Assert.InRange(run.Metrics["messages_per_decision"], 6.0, 6.6);
    }

    private static BftRun Loaded(IEnumerable<ScheduledFault> faults, bool twoChain = false, double seconds = 12) => BftRun.Create(
        new HotStuffProtocol(new HotStuffOptions { ViewTimeout = Duration.FromMillis(300), TwoChain = twoChain }), 4,
        BftRun.Load(100, retry: Duration.FromMillis(500), stopAt: 9), NetworkSpec.Constant(D), Duration.FromSeconds(seconds), faults: faults).Run();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Leader_crash_times_out_its_views_and_progress_resumes(bool twoChain)
    {
        var run = Loaded([new ScheduledFault(At(2), new Crash(NodeSelector.Named("n2")))], twoChain);
        Assert.Empty(run.World.Violations);
        Assert.True(run.Metrics[StandardMetrics.LeaderElections] > 0);
        Assert.True(run.Result!.Metrics.Series["committed_tx"].Skip(4).Sum() > 500);
        Assert.Equal(run.Result.Metrics.Counter("submitted_tx"), run.Result.Metrics.Counter("committed_tx"));
    }

    [Fact]
    public void A_partition_that_heals_resynchronises_views_and_commits_resume()
    {
        var run = Loaded([new ScheduledFault(At(2), new Partition([NodeSelector.Named("n0", "n1", "c0"), NodeSelector.Named("n2", "n3", "c1")]), Duration.FromSeconds(4))], seconds: 14);
        Assert.Empty(run.World.Violations);
        var bins = run.Result!.Metrics.Series["committed_tx"];
        Assert.Equal(0, bins.Skip(3).Take(3).Sum()); // nothing commits without a quorum
        // No side reaches 2f+1 = 3 replicas for the 4 s of the split, then views resynchronise.
        Assert.InRange(run.Metrics[StandardMetrics.UnavailableSeconds], 4.0, 6.0);
        Assert.True(bins.Skip(7).Sum() > 300);
        var views = Enumerable.Range(0, 4).Select(i => run.Replica<HotStuffReplica>(i).CurrentView).ToList();
        Assert.True(views.Max() - views.Min() <= 1);
        Assert.Equal(run.Result.Metrics.Counter("submitted_tx"), run.Result.Metrics.Counter("committed_tx"));
    }

    [Fact]
    public void A_replica_cut_off_for_a_while_fetches_the_nodes_it_missed()
    {
        var run = Loaded([new ScheduledFault(At(1), new Partition([NodeSelector.Named("n3")]), Duration.FromSeconds(3))]);
        Assert.Empty(run.World.Violations);
        Assert.True(run.Log(3).Count >= run.Log(0).Count - 5);
        Assert.True(run.Received.GetValueOrDefault(nameof(BlockReply)) > 0);
    }
}
