using Lab.Consensus.Common;
using Lab.Consensus.Tests.Common;
using Lab.Sim.Faults;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Solo;

public class SoloTests
{
    [Fact]
    public void The_orderer_commits_everything_and_every_peer_holds_the_same_chain()
    {
        var heights = new Capture<int[]>(v => v.Directory.OfKind("replica").Select(n => ((IReplica)v.BehaviourOf(n)).Commits!.Count).ToArray());
        var world = ChainWorld.Build(new Lab.Consensus.Solo.SoloProtocol(new Lab.Consensus.Solo.SoloOptions()), Harness.FreeChain, Harness.Load(200) with { Warmup = Duration.FromSeconds(1) }, Lab.Sim.Network.NetworkSpec.Constant(Duration.FromMillis(5)));
        var (r, w) = Harness.Run(world, Lab.Sim.Network.NetworkSpec.Constant(Duration.FromMillis(5)), 4, null, 1, [heights]);
        Assert.Empty(w.Violations);
        Assert.InRange(r.Metrics.Scalars["throughput_tps"], 190, 210);
        Assert.Equal(0, r.Metrics.Scalars["unavailable_s"]);
        // One round trip to the orderer (after a redirect for clients that guessed a peer) plus the batch wait.
        Assert.True(r.Metrics.Samples["commit_latency_s"].Max() < 0.05);
        // Every peer holds the orderer's chain (give or take the block in flight at the end).
        var h = heights.AtEnd!;
        Assert.True(h[0] > 100);
        Assert.All(h, x => Assert.InRange(x, h[0] - 1, h[0]));
    }

    [Fact]
    public void The_orderers_crash_stops_the_chain()
    {
        var (r, w) = Harness.RunSolo(6, faults: [new ScheduledFault(Harness.At(2), new Crash(NodeSelector.Named("n0")))]);
        Assert.Empty(w.Violations);
        Assert.True(Harness.CommittedBetween(r, 0.5, 2) > 250);
        Assert.Equal(0, Harness.CommittedBetween(r, 2.5, 6));
        Assert.InRange(r.Metrics.Scalars["unavailable_s"], 3.9, 4.1);
    }

    [Fact]
    public void After_the_orderer_restarts_the_chain_resumes_and_peers_catch_up()
    {
        var (r, w) = Harness.RunSolo(6, faults: [new ScheduledFault(Harness.At(2), new Crash(NodeSelector.Named("n0")), Duration.FromSeconds(1))]);
        Assert.Empty(w.Violations);
        Assert.Equal(0, Harness.CommittedBetween(r, 2.5, 3.0));
        Assert.True(Harness.CommittedBetween(r, 4.5, 6) > 250);
    }
}
