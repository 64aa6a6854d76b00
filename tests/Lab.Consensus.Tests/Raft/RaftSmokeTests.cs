using Lab.Consensus.Tests.Common;

namespace Lab.Consensus.Tests.Raft;

public class RaftSmokeTests
{
    [Fact]
    public void Five_replicas_commit_the_offered_load_without_safety_violations()
    {
        var (r, w) = Harness.RunRaft(5, workload: Harness.Load(200) with { Warmup = Lab.Sim.Time.Duration.FromSeconds(1) });
        Assert.Empty(w.Violations);
        Assert.Equal(1, r.Metrics.Counter("leader_elections"));
        var tps = r.Metrics.Scalars["throughput_tps"];
        Assert.InRange(tps, 190, 210);
        Assert.True(r.Metrics.Samples["commit_latency_s"].Max() < 0.1, $"max latency {r.Metrics.Samples["commit_latency_s"].Max()}");
        // The standard chain metrics are all there.
        foreach (var name in new[] { "offered_tps", "unavailable_s", "leader_elections", "messages_total", "bytes_total", "safety_violations", "cpu_utilisation_max", "cpu_utilisation_n0", "commit_latency_p99_s" })
            Assert.True(r.Metrics.Scalars.ContainsKey(name), name);
        Assert.Equal(0, r.Metrics.Scalars["safety_violations"]);
        Assert.Equal(r.Stats.MessagesSent, r.Metrics.Scalars["messages_total"]);
        Assert.Equal(2, w.ToleratedFaults);
    }
}
