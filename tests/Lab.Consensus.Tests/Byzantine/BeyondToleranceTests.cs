using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Consensus.Pbft;
using Lab.Sim.Distributions;
using Lab.Sim.Faults;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Byzantine;

public class BeyondToleranceTests
{
    private static SimTime At(double s) => SimTime.Zero + Duration.FromSeconds(s);

    private static BftRun Run(IReadOnlyList<ByzantineSpec> byzantine, ulong seed = 3) =>
        // As scenarios/consensus/beyond-tolerance.yaml: n0 (primary) and n1 equivocate together;
        // n2 and n3 cannot hear each other, but both hear the equivocators.
        BftRun.Create(new PbftProtocol(new PbftOptions()), 4, BftRun.Load(50), new NetworkSpec { Jitter = new Uniform(0.005, 0.015) },
            Duration.FromSeconds(5), seed, [new ScheduledFault(At(1), new Cut(NodeSelector.Named("n2", "n3")), Duration.FromSeconds(3))], byzantine).Run();

    [Fact]
    public void Two_colluding_equivocators_among_four_replicas_fork_the_chain_and_the_checker_reports_it()
    {
        var run = Run([new ByzantineSpec(0, ByzantineBehaviour.Equivocate, Collude: true), new ByzantineSpec(1, ByzantineBehaviour.Equivocate, Collude: true)]);
        var violations = run.World.Agreement.Violations;
        Assert.NotEmpty(violations);
        var first = violations[0];
        // The two honest replicas committed different batches at the same height.
        Assert.Equal(new[] { 2, 3 }, new[] { first.FirstNode.Value, first.OtherNode.Value }.Order());
        Assert.NotEqual(first.FirstBlock, first.OtherBlock);
        Assert.Equal(run.Log(2)[(int)first.Height - 1].Block, first.FirstNode.Value == 2 ? first.FirstBlock : first.OtherBlock);
        Assert.True(first.At > SimTime.Zero);
        Assert.Contains($"height {first.Height}", first.Description);
        Assert.Equal(violations.Count, run.Metrics["safety_violations"]);
        Assert.Equal(first.Height, run.Metrics["first_violation_height"]);
    }

    [Fact]
    public void One_equivocator_in_the_same_setting_cannot_fork()
    {
        var run = Run([new ByzantineSpec(0, ByzantineBehaviour.Equivocate, Collude: true)]);
        Assert.Empty(run.World.Agreement.Violations);
        Assert.True(run.Log(2).Count > 0 || run.Log(3).Count > 0);
    }

    /// <summary>
    /// As scenarios/consensus/beyond-tolerance-new-view.yaml: n3 is cut off while n0, n1 and n2 commit;
    /// back, it cannot execute past the gap (no stable checkpoint to fetch) and, holding requests
    /// (clients send to every replica), asks for view 1. The
    /// colluders n0 and n1 join at once; n1, primary of view 1, builds V from their view-changes (which
    /// hide what they prepared) and n3's, and O fills the gap with null requests. Every certificate
    /// checks out, so n2 accepts it too, and n3 commits null requests where n2 committed batches.
    /// </summary>
    internal static BftRun HiddenPrepares(IReadOnlyList<ByzantineSpec> byzantine, ulong seed = 1) =>
        BftRun.Create(
            new WithFinality(new PbftProtocol(new PbftOptions { CheckpointInterval = 1000, WatermarkWindow = 2000, ViewChangeTimeout = Duration.FromMillis(500) }),
                replicas => FinalityRule.AllReplicas(FaultTolerance.Byzantine.Tolerated(replicas.Count))), 4,
            BftRun.Load(50, retry: Duration.FromMillis(500)), new NetworkSpec { Jitter = new Uniform(0.005, 0.015) }, Duration.FromSeconds(8), seed,
            [new ScheduledFault(At(1), new Partition([NodeSelector.Named("n3")]), Duration.FromSeconds(2))], byzantine).Run();

    [Fact]
    public void Two_colluders_whose_view_changes_hide_prepared_requests_make_a_valid_new_view_that_erases_committed_ones()
    {
        var run = HiddenPrepares([new ByzantineSpec(0, ByzantineBehaviour.LieInNewView, Collude: true), new ByzantineSpec(1, ByzantineBehaviour.LieInNewView, Collude: true)]);
        var first = Assert.IsType<Lab.Consensus.Common.SafetyViolation>(run.World.Agreement.Violations.FirstOrDefault());
        Assert.Equal(new[] { 2, 3 }, new[] { first.FirstNode.Value, first.OtherNode.Value }.Order());
        // Nothing was refused: the lie is in what V leaves out, which no check can see beyond f.
        Assert.Equal(0, run.Result!.Metrics.Counter(BftMetrics.PbftInvalidNewViews));
        Assert.Equal(0, run.Result.Metrics.Counter(BftMetrics.RejectedMessages));
    }

    [Fact]
    public void One_replica_hiding_its_prepared_requests_in_the_same_setting_cannot_erase_them()
    {
        var run = HiddenPrepares([new ByzantineSpec(1, ByzantineBehaviour.LieInNewView, Collude: true)]);
        Assert.Empty(run.World.Agreement.Violations);
        // The view change happened (n1 led it), and V had to hold an honest view-change that knew the gap.
        Assert.True(run.Replica<PbftReplica>(3).View >= 1);
        Assert.True(run.Log(3).Count >= run.Log(2).Count - 5);
    }
}
