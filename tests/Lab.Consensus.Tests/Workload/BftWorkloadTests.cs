using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.HotStuff;
using Lab.Consensus.Pbft;
using Lab.Consensus.Tests.Byzantine;
using Lab.Consensus.Workload;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Workload;

/// <summary>PBFT and HotStuff clients are the shared load client: every workload option works for them too.</summary>
public class BftWorkloadTests
{
    private static ChainProtocol Protocol(string name) => name == "pbft"
        ? new PbftProtocol(new PbftOptions { Costs = AuthenticationCosts.Free })
        : new HotStuffProtocol(new HotStuffOptions { Costs = AuthenticationCosts.Free });

    [Theory]
    [InlineData("pbft")]
    [InlineData("hotstuff")]
    public void A_closed_loop_of_one_outstanding_transaction_gives_clients_over_latency(string protocol)
    {
        // 4 clients, each waiting for f+1 replies before its next transaction: Little's law, X = N / R.
        var workload = new WorkloadOptions { Clients = 4, ClosedLoopOutstanding = 1, Warmup = Duration.FromSeconds(1) };
        var run = BftRun.Create(Protocol(protocol), 4, workload, NetworkSpec.Constant(BftRun.D), Duration.FromSeconds(5)).Run();
        var latency = run.Metrics[StandardMetrics.CommitLatencyMean];
        var tps = run.Metrics[StandardMetrics.ThroughputTps];
        Assert.InRange(tps * latency, 3.7, 4.1);
        Assert.Equal(0, run.Metrics[StandardMetrics.OfferedTps]);
        Assert.Empty(run.World.Violations);
        // Never more than one in flight per client: submitted − committed ≤ 4 at the end.
        var m = run.Result!.Metrics;
        Assert.InRange(m.Counter(StandardMetrics.SubmittedTx) - m.Counter(StandardMetrics.CommittedTx), 0, 4);
    }

    [Theory]
    [InlineData("pbft")]
    [InlineData("hotstuff")]
    public void A_trading_hours_profile_shapes_the_load_through_the_day(string protocol)
    {
        // A day squeezed into 24 s (one "hour" per second): closed until 08:00, busiest at the open and the close.
        var workload = new WorkloadOptions { Clients = 2, Arrivals = TimeOfDayArrivals.TradingHours(400) with { Period = Duration.FromSeconds(24) } };
        var run = BftRun.Create(Protocol(protocol), 4, workload, NetworkSpec.Constant(BftRun.D), Duration.FromSeconds(24)).Run();
        var submitted = run.Result!.Metrics.Series[StandardMetrics.SubmittedTx];
        double Hours(int from, int to) => submitted.Skip(from).Take(to - from).Sum();
        Assert.Equal(0, Hours(0, 8));                  // closed overnight
        Assert.InRange(Hours(9, 10), 300, 420);         // the open: 0.9 × 400/s
        Assert.InRange(Hours(12, 13), 100, 180);        // midday lull: 0.35 × 400/s
        Assert.InRange(Hours(15, 16), 340, 460);        // the close: 1.0 × 400/s
        Assert.Equal(0, Hours(17, 24));
        Assert.Equal(run.Result.Metrics.Counter(StandardMetrics.SubmittedTx), run.Result.Metrics.Counter(StandardMetrics.CommittedTx));
        Assert.Empty(run.World.Violations);
    }

    [Fact]
    public void A_pbft_client_retransmits_to_every_replica_and_backs_off_when_the_primary_is_silent()
    {
        // The primary of view 0 is silent: the request reaches it only; after the retry timeout the client sends to
        // all (Castro-Liskov §4.1), the backups start a view change and the new primary commits it.
        var workload = BftRun.OneRequest with { RetryTimeout = Duration.FromMillis(100) };
        var run = BftRun.Create(Protocol("pbft"), 4, workload, NetworkSpec.Constant(BftRun.D), Duration.FromSeconds(5),
            byzantine: [new ByzantineSpec(0, ByzantineBehaviour.Silent)]).Run();
        var m = run.Result!.Metrics;
        Assert.Equal(1, m.Counter(StandardMetrics.CommittedTx));
        Assert.True(m.Counter(StandardMetrics.ClientRetries) >= 1);
        Assert.True(run.Metrics[StandardMetrics.LeaderElections] > 0);
        Assert.True(Assert.Single(run.Latencies) > 0.1);
    }
}
