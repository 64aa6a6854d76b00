using Lab.Consensus.Byzantine;
using Lab.Consensus.HotStuff;
using Lab.Consensus.Pbft;
using Lab.Sim.Faults;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Byzantine;

/// <summary>With real keys every protocol message is ECDSA-signed and verified; forgeries fail the real check.</summary>
public class RealSignatureTests
{
    private static SimTime At(double s) => SimTime.Zero + Duration.FromSeconds(s);
    private static readonly CommitteeKeys Keys = CommitteeKeys.Real(7, 4);

    private static readonly Lab.Consensus.Workload.WorkloadOptions Load = BftRun.Load(50, retry: Duration.FromMillis(300), stopAt: 3);

    private static BftRun Pbft(IEnumerable<ScheduledFault> faults, params ByzantineSpec[] byzantine) =>
        BftRun.Create(new PbftProtocol(new PbftOptions { Keys = Keys, CheckpointInterval = 8, WatermarkWindow = 16, ViewChangeTimeout = Duration.FromMillis(300) }), 4,
            Load, NetworkSpec.Constant(BftRun.D), Duration.FromSeconds(5), faults: faults, byzantine: byzantine).Run();

    [Fact]
    public void Pbft_with_real_signatures_commits_through_checkpoints_and_a_view_change()
    {
        var run = Pbft([new ScheduledFault(At(1), new Pause(NodeSelector.Named("n0")), Duration.FromSeconds(1))]);
        Assert.Equal(0, run.Metrics["safety_violations"]);
        var m = run.Result!.Metrics;
        Assert.Equal(m.Counter("submitted_tx"), m.Counter("committed_tx"));
        Assert.True(run.Replica<PbftReplica>(1).View >= 1);
        Assert.True(run.Replica<PbftReplica>(1).LowWatermark > 0, "a stable checkpoint of real signatures");
        Assert.Equal(0, m.Counter(BftMetrics.RejectedMessages));
    }

    [Fact]
    public void Pbft_with_real_signatures_rejects_votes_forged_under_other_names()
    {
        // n2 signs with its own key under another replica's name: ECDSA verification fails.
        var run = Pbft([], new ByzantineSpec(2, ByzantineBehaviour.Forge));
        Assert.Equal(0, run.Metrics["safety_violations"]);
        Assert.True(run.Result!.Metrics.Counter(BftMetrics.RejectedMessages) > 100);
    }

    [Fact]
    public void HotStuff_with_real_signatures_commits_and_carries_every_signature_in_its_QCs()
    {
        var run = BftRun.Create(new HotStuffProtocol(new HotStuffOptions { Keys = Keys, ViewTimeout = Duration.FromMillis(300) }), 4,
            Load, NetworkSpec.Constant(BftRun.D), Duration.FromSeconds(5), byzantine: [new ByzantineSpec(0, ByzantineBehaviour.ForgeQc)]).Run();
        Assert.Equal(0, run.Metrics["safety_violations"]);
        var m = run.Result!.Metrics;
        Assert.Equal(m.Counter("submitted_tx"), m.Counter("committed_tx"));
        Assert.True(m.Counter(BftMetrics.HotStuffInvalidCertificates) > 0);
        var qc = run.Replica<HotStuffReplica>(1).HighQc;
        Assert.Equal(3, qc.Votes.Count);
        Assert.All(qc.Votes, v => Assert.Equal(Signature.SizeBytes, v.Ecdsa!.Length));
        // No aggregation with ECDSA: 2f+1 signatures on the wire instead of one.
        Assert.Equal(56 + 1 + 3 * Signature.SizeBytes, qc.SizeBytes(4));
    }
}
