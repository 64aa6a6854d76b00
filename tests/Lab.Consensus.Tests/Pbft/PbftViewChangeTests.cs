using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Consensus.Tests.Byzantine;
using Lab.Sim.Faults;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Pbft;

public class PbftViewChangeTests
{
    private static readonly Duration D = BftRun.D;
    private static SimTime At(double s) => SimTime.Zero + Duration.FromSeconds(s);

    private static BftRun Run(IEnumerable<ScheduledFault> faults, int n = 4, double rate = 50, double stopAt = 9, double seconds = 12) => BftRun.Create(
        new PbftProtocol(new PbftOptions { CheckpointInterval = 16, WatermarkWindow = 32, ViewChangeTimeout = Duration.FromMillis(300) }), n,
        BftRun.Load(rate, retry: Duration.FromMillis(200), stopAt: stopAt), NetworkSpec.Constant(D), Duration.FromSeconds(seconds), faults: faults).Run();

    private static double CommittedAfter(BftRun run, double seconds)
    {
        var bins = run.Result!.Metrics.Series["committed_tx"];
        return bins.Skip((int)seconds).Sum();
    }

    [Fact]
    public void Primary_crash_leads_to_a_view_change_and_progress_resumes()
    {
        var run = Run([new ScheduledFault(At(2), new Crash(NodeSelector.Named("n0")))]);
        Assert.Empty(run.World.Violations);
        var backup = run.Replica<PbftReplica>(1);
        Assert.True(backup.View >= 1 && backup.ViewActive);
        Assert.NotEqual(0, backup.View % 4); // n0 is not primary any more
        Assert.True(CommittedAfter(run, 4) > 100);
        // Every request was eventually answered (retransmits reach the new primary).
        Assert.Equal(run.Result!.Metrics.Counter("submitted_tx"), run.Result.Metrics.Counter("committed_tx"));
    }

    [Fact]
    public void Requests_prepared_in_the_old_view_keep_their_sequence_numbers()
    {
        // The primary crashes while requests are in flight; the new view re-issues them (set O).
        var run = Run([new ScheduledFault(At(1) + Duration.FromMillis(3), new Crash(NodeSelector.Named("n0")))], rate: 400);
        Assert.Empty(run.World.Violations);
        var a = run.Log(1); var b = run.Log(2); var c = run.Log(3);
        Assert.True(a.Count > 10);
        Assert.True(run.Metrics[StandardMetrics.LeaderElections] >= 0.75); // three of four replicas installed view 1
        var common = Math.Min(a.Count, Math.Min(b.Count, c.Count));
        for (int h = 0; h < common; h++)
        {
            Assert.Equal(a[h].Block, b[h].Block);
            Assert.Equal(a[h].Block, c[h].Block);
        }
        Assert.Equal(run.Result!.Metrics.Counter("submitted_tx"), run.Result.Metrics.Counter("committed_tx"));
    }

    [Fact]
    public void Repeated_view_changes_double_the_timeout_until_a_primary_is_alive()
    {
        // n0 and n1 down (f = 2 of 7): views 1 and 2 would be led by dead replicas... n1 leads view 1.
        var run = Run([new ScheduledFault(At(2), new Crash(NodeSelector.Named("n0", "n1")))], n: 7);
        Assert.Empty(run.World.Violations);
        var r = run.Replica<PbftReplica>(3);
        Assert.Equal(2, r.View);
        Assert.True(CommittedAfter(run, 5) > 100);
    }

    [Fact]
    public void A_partition_that_heals_lets_views_resynchronise_and_commits_resume()
    {
        // 2 | 2: no quorum anywhere for 3 s; afterwards the replicas agree on one view and commit again.
        var run = Run([new ScheduledFault(At(2), new Partition([NodeSelector.Named("n0", "n1", "c0"), NodeSelector.Named("n2", "n3", "c1")]), Duration.FromSeconds(3))], seconds: 14);
        Assert.Empty(run.World.Violations);
        // No side reaches 2f+1 = 3 replicas for the 3 s of the split.
        Assert.InRange(run.Metrics[StandardMetrics.UnavailableSeconds], 3.0, 5.0);
        var views = Enumerable.Range(0, 4).Select(i => run.Replica<PbftReplica>(i)).ToList();
        Assert.All(views, v => Assert.True(v.ViewActive));
        Assert.Single(views.Select(v => v.View).Distinct());
        Assert.True(CommittedAfter(run, 7) > 50);
        Assert.Equal(run.Result!.Metrics.Counter("submitted_tx"), run.Result.Metrics.Counter("committed_tx"));
    }

    [Fact]
    public void A_replica_restarted_after_missing_checkpoints_catches_up_by_state_transfer()
    {
        var run = Run([new ScheduledFault(At(1), new Crash(NodeSelector.Named("n3")), Duration.FromSeconds(4))], rate: 200);
        Assert.Empty(run.World.Violations);
        Assert.True(run.Log(3).Count >= run.Log(1).Count - 32);
        Assert.True(run.Log(3).Count > 50);
        Assert.Equal(0, run.Result!.Metrics.Counter(StandardMetrics.RejectedMessages));
    }
}
