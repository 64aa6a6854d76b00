using Lab.Consensus.Common;
using Lab.Consensus.Tests.Common;
using Lab.Consensus.Workload;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Workload;

public class ClientTests
{
    [Fact]
    public void A_closed_loop_keeps_k_transactions_outstanding_per_client()
    {
        // 2 clients × 4 outstanding, latency ≈ 2 RTT (5 ms one-way) + batch wait: throughput ≈ 8 / latency.
        var workload = Harness.Load(0) with { ClosedLoopOutstanding = 4, Warmup = Duration.FromSeconds(1) };
        var (r, w) = Harness.RunRaft(3, workload: workload);
        Assert.Empty(w.Violations);
        var latency = r.Metrics.Scalars["commit_latency_mean_s"];
        var tps = r.Metrics.Scalars["throughput_tps"];
        Assert.InRange(tps * latency, 7.0, 8.5); // Little's law: outstanding = throughput × latency
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Clients_submit_nothing_before_submit_from_and_afterwards_what_they_would_have(bool closedLoop)
    {
        var load = closedLoop ? Harness.Load(0) with { ClosedLoopOutstanding = 4 } : Harness.Load(200);
        var (r, w) = Harness.RunRaft(3, workload: load with { SubmitFrom = Duration.FromSeconds(1) });
        Assert.Empty(w.Violations);
        var submitted = r.Metrics.Series[StandardMetrics.SubmittedTx];   // 500 ms bins
        Assert.Equal(0, submitted[0] + submitted[1]);
        Assert.True(submitted[2] >= 8, $"{submitted[2]} submitted in [1 s, 1.5 s)");
        Assert.True(Harness.CommittedBetween(r, 1, 3) >= submitted[2]);
        if (closedLoop) return;
        // Arrivals before the start are drawn and dropped: the ones after it fall where they would without it.
        var (all, _) = Harness.RunRaft(3, workload: load);
        var expected = all.Metrics.Series[StandardMetrics.SubmittedTx];
        Assert.True(expected[0] > 0);
        Assert.Equal(expected[2..], submitted[2..]);
    }

    [Fact]
    public void Clients_that_guess_a_follower_are_redirected_to_the_leader()
    {
        var (r, _) = Harness.RunRaft(2, workload: Harness.Load(100, clients: 5));
        Assert.True(r.Metrics.Counter("client_redirects") >= 1);
        Assert.True(r.Metrics.Counter("committed_tx") > 150);
    }

    [Fact]
    public void Same_seed_gives_identical_metrics_sequential_or_with_actors()
    {
        static string Fingerprint(RunResult r) =>
            string.Join("|", r.Metrics.Counters.Select(kv => $"{kv.Key}={kv.Value:R}"))
            + string.Join("|", r.Metrics.Samples["commit_latency_s"].Select(x => x.ToString("R")))
            + r.Stats.EventsProcessed;
        var faults = new[] { new Lab.Sim.Faults.ScheduledFault(Harness.At(1), new Lab.Sim.Faults.Crash(Lab.Consensus.Common.ChainWorld.Leader), Duration.FromMillis(500)) };
        var net = new NetworkSpec { BaseLatency = [[Duration.FromMillis(5)]], Jitter = new Lab.Sim.Distributions.Exponential(0.002) };
        var a = Fingerprint(Harness.RunRaft(2, network: net, faults: faults, workload: Harness.Load(300) with { Arrivals = new PoissonArrivals(300) }).Result);
        var b = Fingerprint(Harness.RunRaft(2, network: net, faults: faults, workload: Harness.Load(300) with { Arrivals = new PoissonArrivals(300) }).Result);
        var c = Fingerprint(Harness.RunRaft(2, network: net, faults: faults, workload: Harness.Load(300) with { Arrivals = new PoissonArrivals(300) }, mode: ExecutionMode.Actors).Result);
        Assert.Equal(a, b);
        Assert.Equal(a, c);
    }
}
