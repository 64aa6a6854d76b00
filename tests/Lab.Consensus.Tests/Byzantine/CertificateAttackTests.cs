using Lab.Consensus.Byzantine;
using Lab.Consensus.HotStuff;
using Lab.Consensus.Pbft;
using Lab.Sim.Faults;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Byzantine;

/// <summary>
/// Byzantine replicas that lie exactly where certificates are checked. Within f each lie is refused
/// and counted and the run stays safe and live; the same world without the liar counts nothing.
/// </summary>
public class CertificateAttackTests
{
    private static readonly Duration D = BftRun.D;
    private static SimTime At(double s) => SimTime.Zero + Duration.FromSeconds(s);

    /// <summary>n = 7 (f = 2): the primary of view 0 crashes with requests prepared, so view 1 must carry them over.</summary>
    private static BftRun PrimaryCrash(params ByzantineSpec[] byzantine) =>
        BftRun.Create(new PbftProtocol(new PbftOptions { CheckpointInterval = 16, WatermarkWindow = 32, ViewChangeTimeout = Duration.FromMillis(300) }), 7,
            BftRun.Load(400, retry: Duration.FromMillis(200), stopAt: 6), NetworkSpec.Constant(D), Duration.FromSeconds(10),
            faults: [new ScheduledFault(At(1) + Duration.FromMillis(3), new Crash(NodeSelector.Named("n0")))], byzantine: byzantine).Run();

    private static void SafeAndLive(BftRun run)
    {
        Assert.Equal(0, run.Metrics["safety_violations"]);
        var m = run.Result!.Metrics;
        Assert.Equal(m.Counter("submitted_tx"), m.Counter("committed_tx"));
        // Nothing the liars made up was executed by an honest replica.
        for (int r = 0; r < run.World.Replicas.Count; r++)
            if (run.Replica<PbftReplica>(r) is { IsByzantine: false } replica)
                Assert.DoesNotContain(replica.State.Executed.SelectMany(b => b.Transactions), tx => tx.Submitter == "double-spend");
    }

    [Fact]
    public void Without_liars_a_view_change_rejects_nothing()
    {
        var run = PrimaryCrash();
        SafeAndLive(run);
        Assert.True(run.Replica<PbftReplica>(1).View >= 1);
        Assert.Equal(0, run.Result!.Metrics.Counter(BftMetrics.RejectedMessages));
        Assert.True(run.Count(nameof(Lab.Consensus.Pbft.NewView)) > 0);
    }

    [Fact]
    public void A_primary_that_lies_about_O_in_its_new_view_is_refused_and_the_next_view_keeps_every_request()
    {
        // n1 leads view 1 and drops the newest prepared request from O (or invents one): backups
        // recompute O from V, refuse the new-view, and move on to view 2 (n2).
        var run = PrimaryCrash(new ByzantineSpec(1, ByzantineBehaviour.LieInNewView));
        SafeAndLive(run);
        var m = run.Result!.Metrics;
        // Every honest backup refused it (the liar also forwards it to replicas it thinks are behind).
        Assert.True(m.Counter(BftMetrics.PbftInvalidNewViews) >= 5, $"{m.Counter(BftMetrics.PbftInvalidNewViews)}");
        Assert.True(m.Counter(BftMetrics.RejectedMessages) >= m.Counter(BftMetrics.PbftInvalidNewViews));
        for (int r = 2; r < 7; r++) Assert.True(run.Replica<PbftReplica>(r).View >= 2);
    }

    [Fact]
    public void A_view_change_with_a_forged_prepared_certificate_is_refused_and_never_enters_a_new_view()
    {
        // n2 claims a certificate of view 0 for a double-spend batch at its newest prepared number.
        var run = PrimaryCrash(new ByzantineSpec(2, ByzantineBehaviour.ForgeProof));
        SafeAndLive(run);
        var m = run.Result!.Metrics;
        Assert.True(m.Counter(BftMetrics.PbftInvalidViewChanges) >= 5);
        Assert.Equal(0, m.Counter(BftMetrics.PbftInvalidNewViews));
        // The new view was built without n2's view-change.
        var nv = run.Replica<PbftReplica>(3).State.LastNewView!;
        Assert.DoesNotContain(nv.Proof, v => v.Replica == 2);
    }

    private static BftRun HotStuffRun(params ByzantineSpec[] byzantine) =>
        BftRun.Create(new HotStuffProtocol(new HotStuffOptions { ViewTimeout = Duration.FromMillis(300) }), 4,
            BftRun.Load(100, retry: Duration.FromMillis(500), stopAt: 6), NetworkSpec.Constant(D), Duration.FromSeconds(10), byzantine: byzantine).Run();

    private static void SafeAndLive(BftRun run, double views)
    {
        Assert.Equal(0, run.Metrics["safety_violations"]);
        var m = run.Result!.Metrics;
        Assert.Equal(m.Counter("submitted_tx"), m.Counter("committed_tx"));
        Assert.True(run.Metrics[Lab.Consensus.Common.StandardMetrics.LeaderElections] >= views);
    }

    [Fact]
    public void Honest_hotstuff_replicas_refuse_no_certificate_and_no_proposal()
    {
        var run = HotStuffRun();
        SafeAndLive(run, 0);
        Assert.Equal(0, run.Result!.Metrics.Counter(BftMetrics.HotStuffInvalidCertificates));
        Assert.Equal(0, run.Result.Metrics.Counter(BftMetrics.HotStuffUnsafeProposals));
        Assert.Equal(0, run.Metrics[Lab.Consensus.Common.StandardMetrics.LeaderElections]);
    }

    [Fact]
    public void A_leader_proposing_a_fork_on_a_forged_QC_is_refused_each_time_it_leads()
    {
        // n0 leads every fourth view; each of its proposals claims its fork's parent was certified in
        // the previous view. The votes inside were signed for another node, so nobody votes.
        var run = HotStuffRun(new ByzantineSpec(0, ByzantineBehaviour.ForgeQc));
        SafeAndLive(run, 1);
        var m = run.Result!.Metrics;
        Assert.True(m.Counter(BftMetrics.HotStuffInvalidCertificates) >= 3 * 3, $"{m.Counter(BftMetrics.HotStuffInvalidCertificates)}");
        Assert.Equal(m.Counter(BftMetrics.HotStuffInvalidCertificates), m.Counter(BftMetrics.RejectedMessages));
        Assert.Equal(0, m.Counter(BftMetrics.HotStuffUnsafeProposals));
    }

    [Fact]
    public void A_leader_re_using_an_old_QC_to_fork_gets_no_vote_from_replicas_locked_above_it()
    {
        // The old QC is genuine (nothing to reject), but safeNode refuses: the fork neither extends the
        // lock nor carries a newer QC.
        var run = HotStuffRun(new ByzantineSpec(0, ByzantineBehaviour.StaleQc));
        SafeAndLive(run, 1);
        var m = run.Result!.Metrics;
        Assert.True(m.Counter(BftMetrics.HotStuffUnsafeProposals) >= 3 * 3, $"{m.Counter(BftMetrics.HotStuffUnsafeProposals)}");
        Assert.Equal(0, m.Counter(BftMetrics.HotStuffInvalidCertificates));
    }
}
