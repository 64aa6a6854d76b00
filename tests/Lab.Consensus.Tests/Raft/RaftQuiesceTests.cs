using Lab.Consensus.Common;
using Lab.Consensus.Raft;
using Lab.Consensus.Tests.Common;
using Lab.Ledger.Batching;
using Lab.Sim.Faults;
using Lab.Sim.Metrics;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Raft;

/// <summary>CockroachDB-style quiescence (RaftOptions.Quiesce): idle groups stop heartbeating, and stay safe and live.</summary>
public class RaftQuiesceTests
{
    private static readonly RaftOptions Quiet = new() { Quiesce = true };

    /// <summary>One transaction every 10 s: the group is idle almost all the time.</summary>
    private static readonly Lab.Consensus.Workload.WorkloadOptions Sparse = Harness.Load(0.1, clients: 1) with { RetryTimeout = Duration.FromSeconds(2) };

    private static IReadOnlyList<RaftReplica> Replicas(ISimulationView v) =>
        v.Directory.OfKind("replica").Select(v.BehaviourOf).OfType<RaftReplica>().ToList();

    private static IEnumerable<(double At, string Text)> Elected(Lab.Sim.Kernel.RunResult r) =>
        r.Metrics.Findings.Where(f => f.Text.Contains(" leads term ", StringComparison.Ordinal)).Select(f => (f.At.Seconds, f.Text));

    [Fact]
    public void An_idle_group_quiesces_commits_every_transaction_and_costs_a_fraction_of_the_events()
    {
        var quiet = new Capture<bool>(v => Replicas(v).All(x => x.IsQuiesced), 25);
        var (r, w) = Harness.RunRaft(60, workload: Sparse, raft: Quiet, observers: [quiet]);
        var (loud, _) = Harness.RunRaft(60, workload: Sparse);
        Assert.Empty(w.Violations);
        Assert.True(quiet.Snapshots.Single().Value, "every replica quiesced between transactions");
        Assert.Single(Elected(r));                                      // no follower campaigned while quiesced
        Assert.Equal(loud.Metrics.Counter(StandardMetrics.CommittedTx), r.Metrics.Counter(StandardMetrics.CommittedTx));
        Assert.True(r.Metrics.Counter(StandardMetrics.CommittedTx) >= 5);
        // 50 ms heartbeats to 4 followers and their replies: ~9,600 messages a minute; quiesced, liveness every 4.5 s.
        Assert.True(r.Metrics.Counter(KernelMetrics.MessagesTotal) * 5 < loud.Metrics.Counter(KernelMetrics.MessagesTotal),
            $"{r.Metrics.Counter(KernelMetrics.MessagesTotal)} messages quiesced, {loud.Metrics.Counter(KernelMetrics.MessagesTotal)} not");
    }

    [Fact]
    public void A_leader_that_crashes_while_quiesced_is_replaced_within_the_liveness_expiry_and_an_election_timeout()
    {
        const double crash = 22;   // transactions at 0, 10, 20 s: quiesced again by 22 s
        var before = new Capture<bool>(v => Replicas(v).All(x => x.IsQuiesced), crash - 0.5);
        var (r, w) = Harness.RunRaft(60, workload: Sparse, raft: Quiet, observers: [before],
            faults: [new ScheduledFault(Harness.At(crash), new Crash(ChainWorld.Leader))]);
        Assert.Empty(w.Violations);
        Assert.True(before.Snapshots.Single().Value);
        var next = Elected(r).Where(e => e.At > crash).ToList();
        Assert.NotEmpty(next);
        // The leader's last liveness heartbeat was at most 4.5 s before the crash; its record expires 9 s after that,
        // then a follower campaigns after 150–300 ms (and a round trip of 10 ms).
        Assert.InRange(next[0].At, crash + 4.5, crash + 9 + 0.3 + 0.02);
        Assert.True(Harness.CommittedBetween(r, 35, 60) >= 2, "transactions after the new election commit");
    }

    [Fact]
    public void A_partitioned_follower_is_left_out_of_quiescence_and_caught_up_after_the_heal()
    {
        var one = new DynamicNodes("a follower", v =>
        {
            var leaders = AvailabilityObserver.Leaders(v);
            return [v.Directory.OfKind("replica").First(n => !leaders.Contains(n))];
        });
        var during = new Capture<int>(v => Replicas(v).Count(x => x.IsQuiesced), 28);
        var end = new Capture<IReadOnlyList<RaftReplica>>(Replicas);
        var (r, w) = Harness.RunRaft(60, workload: Sparse, raft: Quiet, observers: [during, end],
            faults: [new ScheduledFault(Harness.At(5), new Partition([one]), Duration.FromSeconds(25))]);
        Assert.Empty(w.Violations);
        Assert.Equal(4, during.Snapshots.Single().Value);    // the leader and three followers; the cut-off one campaigns alone
        Assert.True(Harness.CommittedBetween(r, 5, 30) >= 2, "the majority commits during the partition");
        var all = end.AtEnd!;
        var leader = all.Single(x => x.Role == RaftRole.Leader);
        Assert.All(all, x => Assert.Equal(leader.LastLogIndex, x.LastLogIndex));
        Assert.All(all, x => Assert.Equal(leader.CommitIndex, x.CommitIndex));
    }

    [Fact]
    public void Random_crashes_partitions_and_loss_with_quiescence_never_violate_safety_and_commits_resume()
    {
        // Liveness scaled down (0.5 s heartbeats, 1 s expiry) so a replaced quiesced leader fits the 2.5 s fault window's aftermath.
        var raft = Quiet with { LivenessHeartbeat = Duration.FromMillis(500), LivenessExpiry = Duration.FromSeconds(1) };
        var chain = Harness.FreeChain with { Block = new BlockOptions { MaxTransactions = 20, BatchTimeout = Duration.FromMillis(5) } };
        var failures = new List<string>();
        for (ulong seed = 1; seed <= 60; seed++)
        {
            var (r, w) = Harness.RunRaft(8, chain: chain, workload: Harness.Load(4, clients: 1), raft: raft with { PreVote = seed % 2 == 0 },
                faults: RaftRandomFaultTests.Schedule(seed), seed: seed);
            var after = Harness.CommittedBetween(r, 5, 8);
            if (w.Violations.Count > 0 || r.Metrics.Counter(StandardMetrics.SafetyViolations) > 0) failures.Add($"seed {seed}: {Harness.Describe(w)}");
            else if (after < 10) failures.Add($"seed {seed}: only {after} commits in 5–8 s (12 offered)");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
