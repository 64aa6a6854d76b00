using Lab.Consensus.Common;
using Lab.Consensus.Raft;
using Lab.Consensus.Tests.Common;
using Lab.Consensus.Workload;
using Lab.Ledger.Batching;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Raft;

/// <summary>The shapes the ready scenarios promise, at reduced scale.</summary>
public class RaftScenarioTests
{
    // One-way latencies between Hong Kong, Frankfurt and US East (rounded public cloud figures).
    internal static readonly NetworkSpec ThreeRegions = new()
    {
        Regions = ["hong-kong", "frankfurt", "us-east"],
        BaseLatency =
        [
            [Duration.FromMillis(1), Duration.FromMillis(90), Duration.FromMillis(105)],
            [Duration.FromMillis(90), Duration.FromMillis(1), Duration.FromMillis(45)],
            [Duration.FromMillis(105), Duration.FromMillis(45), Duration.FromMillis(1)],
        ],
        Upload = [Bandwidth.Gbps(1), Bandwidth.Gbps(1), Bandwidth.Gbps(1)],
        Download = [Bandwidth.Gbps(1), Bandwidth.Gbps(1), Bandwidth.Gbps(1)],
    };

    private static readonly RaftOptions WideArea = new()
    {
        ElectionTimeoutMin = Duration.FromMillis(600), ElectionTimeoutMax = Duration.FromMillis(1200), Heartbeat = Duration.FromMillis(150),
    };

    private static (double P99, double Tps, double Cpu) Point(double rate)
    {
        var chain = new ChainOptions { Placement = ["hong-kong", "frankfurt", "us-east", "hong-kong", "frankfurt"], Block = new BlockOptions { BatchTimeout = Duration.FromMillis(20) } };
        var workload = new WorkloadOptions { Arrivals = new PoissonArrivals(rate), Clients = 9, Warmup = Duration.FromSeconds(3), RetryTimeout = Duration.FromSeconds(5) };
        var (r, w) = Harness.RunRaft(8, chain: chain, workload: workload, raft: WideArea, network: ThreeRegions);
        Assert.Empty(w.Violations);
        return (r.Metrics.Scalars["commit_latency_p99_s"], r.Metrics.Scalars["throughput_tps"], r.Metrics.Scalars["cpu_utilisation_max"]);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Latency_turns_up_sharply_as_the_leader_saturates()
    {
        var light = Point(2000);
        var heavy = Point(11800);
        Assert.InRange(light.Tps, 1900, 2100);
        Assert.True(heavy.Cpu > 0.9, $"leader CPU {heavy.Cpu:P0} at 11800 tx/s");
        Assert.True(heavy.P99 > 1.5 * light.P99, $"p99 {light.P99 * 1000:0} ms at 2000 tx/s, {heavy.P99 * 1000:0} ms at 11800 tx/s");
    }
}
