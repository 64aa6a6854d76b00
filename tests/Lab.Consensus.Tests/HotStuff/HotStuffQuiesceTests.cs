using Lab.Consensus.Common;
using Lab.Consensus.HotStuff;
using Lab.Consensus.Tests.Byzantine;
using Lab.Consensus.Tests.Common;
using Lab.Consensus.Workload;
using Lab.Sim.Faults;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.HotStuff;

/// <summary>HotStuff quiescence (HotStuffOptions.Quiesce): no empty nodes and a paused pacemaker while idle, safe and live.</summary>
public class HotStuffQuiesceTests
{
    private static readonly HotStuffOptions Quiet = new() { Quiesce = true };

    /// <summary>One transaction at each of these seconds.</summary>
    private static WorkloadOptions At(params double[] seconds) => new()
    {
        Arrivals = new TraceArrivals([.. seconds.Select(s => new TraceRecord(Duration.FromSeconds(s), 512, "tx"))]),
        Clients = 1,
        RetryTimeout = Duration.FromSeconds(5),
    };

    private static BftRun Create(HotStuffOptions o, WorkloadOptions load, double seconds, IEnumerable<ScheduledFault>? faults = null, ulong seed = 1) =>
        BftRun.Create(new HotStuffProtocol(o), 4, load, NetworkSpec.Constant(BftRun.D), Duration.FromSeconds(seconds), seed, faults);

    private static long View(BftRun run, int r) => run.Replica<HotStuffReplica>(r).CurrentView;

    [Fact]
    public void An_idle_chain_stops_proposing_commits_every_transaction_and_costs_a_fraction_of_the_messages()
    {
        var load = At(0.5, 10, 20, 30, 40, 50);
        var quiet = Create(Quiet, load, 60).Run();
        var loud = Create(new HotStuffOptions(), load, 60).Run();
        Assert.Empty(quiet.World.Violations);
        Assert.Equal(6, quiet.Result!.Metrics.Counter(StandardMetrics.CommittedTx));
        Assert.Equal(6, loud.Result!.Metrics.Counter(StandardMetrics.CommittedTx));
        // Every transaction still commits within a few views (the tail of empty nodes is proposed, then nothing).
        Assert.All(quiet.Latencies, l => Assert.InRange(l, 0, 0.5));
        Assert.True(quiet.Log(0).Count < 6 * 6, $"{quiet.Log(0).Count} blocks: quiesced chains propose only while something is uncommitted");
        Assert.True(quiet.Result.Metrics.Counter(KernelMetrics.MessagesTotal) * 5 < loud.Result.Metrics.Counter(KernelMetrics.MessagesTotal),
            $"{quiet.Result.Metrics.Counter(KernelMetrics.MessagesTotal)} messages quiesced, {loud.Result.Metrics.Counter(KernelMetrics.MessagesTotal)} not");
    }

    [Fact]
    public void An_idle_leader_that_crashes_is_replaced_once_its_lease_expires_and_later_transactions_commit()
    {
        const double crash = 22;
        var run = Create(Quiet, At(0.5, 10, 20, 40, 50), 60, [new ScheduledFault(SimTime.Zero + Duration.FromSeconds(crash), new Crash(ChainWorld.Leader))]);
        var views = new Capture<long[]>(v => [.. Enumerable.Range(0, 4).Select(i => View(run, i))], crash - 0.1, crash + 4.4, crash + 9 + 1 + 0.2);
        run.Simulation.AddObserver(views);
        run.Run();
        Assert.Empty(run.World.Violations);
        var (before, paused, after) = (views.Snapshots[0].Value, views.Snapshots[1].Value, views.Snapshots[2].Value);
        // The lease (heartbeat at most 4.5 s before the crash, 9 s validity) holds the view; then one view timeout (1 s) moves on.
        Assert.Equal(before, paused);
        Assert.True(after.Max() > before.Max(), $"views {string.Join(",", before)} → {string.Join(",", after)}");
        Assert.Equal(5, run.Result!.Metrics.Counter(StandardMetrics.CommittedTx));
        // 40 s and 50 s: a live leader proposes at once, but the crashed replica still leads every fourth view, so the
        // three-chain waits out its view: one timeout, doubled after the timeout that replaced it (1 s + 2 s), as without quiescence.
        Assert.All(run.Latencies.TakeLast(2), l => Assert.InRange(l, 3, 3.5));
    }

    [Fact]
    public void A_replica_partitioned_while_the_chain_is_idle_catches_up_after_the_heal()
    {
        var run = Create(Quiet, At(0.5, 10, 20, 30, 40, 50), 60,
            [new ScheduledFault(SimTime.Zero + Duration.FromSeconds(5), new Partition([NodeSelector.Named("n3")]), Duration.FromSeconds(30))]).Run();
        Assert.Empty(run.World.Violations);
        Assert.Equal(6, run.Result!.Metrics.Counter(StandardMetrics.CommittedTx));
        Assert.Equal(run.Log(0).Count, run.Log(3).Count);
    }

    [Fact]
    public void Random_crashes_with_quiescence_never_violate_safety_and_every_transaction_commits()
    {
        // Scaled lease (0.5 s heartbeats, 1 s validity) and view timeout (300 ms): a few crash windows fit in 12 s.
        var o = Quiet with { LivenessHeartbeat = Duration.FromMillis(500), LivenessExpiry = Duration.FromSeconds(1), ViewTimeout = Duration.FromMillis(300) };
        var failures = new List<string>();
        for (ulong seed = 1; seed <= 30; seed++)
        {
            var rng = SimRandom.Stream(seed, "hotstuff-quiesce-faults");
            var faults = new List<ScheduledFault>();
            for (var t = 0.5 + rng.NextDouble(); t < 7; t += 0.5 + 2 * rng.NextDouble())
            {
                var length = 0.2 + 1.5 * rng.NextDouble();
                var target = rng.Chance(0.5) ? ChainWorld.Leader : NodeSelector.Named($"n{rng.Next(4)}");
                faults.Add(new ScheduledFault(SimTime.Zero + Duration.FromSeconds(t), new Crash(target)));
                faults.Add(new ScheduledFault(SimTime.Zero + Duration.FromSeconds(t + length), new Restart(new CrashedNodes())));
                t += length;   // one replica down at a time: f = 1 of 4
            }
            var run = Create(o, BftRun.Load(0.5, retry: Duration.FromSeconds(1), stopAt: 8), 14, faults, seed).Run();
            var m = run.Result!.Metrics;
            if (run.World.Violations.Count > 0 || m.Counter(StandardMetrics.SafetyViolations) > 0) failures.Add($"seed {seed}: {string.Join("; ", run.World.Violations.Select(v => v.Description))}");
            else if (m.Counter(StandardMetrics.CommittedTx) != m.Counter(StandardMetrics.SubmittedTx))
                failures.Add($"seed {seed}: {m.Counter(StandardMetrics.CommittedTx)} of {m.Counter(StandardMetrics.SubmittedTx)} committed");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
