using Lab.Consensus.Tests.Common;

namespace Lab.Consensus.Tests.Raft;

public class RaftSmokeTests
{
    [Fact]
    public void Five_replicas_commit_the_offered_load_without_safety_violations()
    {
        var (r, w) = Harness.RunRaft(5, workload: Harness.Load(200) with { Warmup = Lab.Sim.Time.Duration.FromSeconds(1) });
        Assert.Empty(w.SafetyViolations);
        Assert.Equal(1, r.Metrics.Counter("leader_elections"));
        var tps = r.Metrics.Scalars["throughput_tps"];
        Assert.InRange(tps, 190, 210);
        Assert.True(r.Metrics.Samples["commit_latency_s"].Max() < 0.1, $"max latency {r.Metrics.Samples["commit_latency_s"].Max()}");
    }
}
