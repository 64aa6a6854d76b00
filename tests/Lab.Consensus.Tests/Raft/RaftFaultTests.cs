using Lab.Consensus.Common;
using Lab.Consensus.Raft;
using Lab.Consensus.Tests.Common;
using Lab.Sim.Faults;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Raft;

public class RaftFaultTests
{
    private static IReadOnlyList<RaftReplica> Replicas(ISimulationView v) =>
        v.Directory.OfKind("replica").Select(v.BehaviourOf).OfType<RaftReplica>().ToList();

    private static NodeSelector Followers(int count) => new DynamicNodes($"{count} followers", v =>
    {
        var leaders = AvailabilityObserver.Leaders(v);
        return v.Directory.OfKind("replica").Where(n => !leaders.Contains(n)).Take(count).ToList();
    });

    [Fact]
    public void Leader_crash_elects_a_new_leader_and_commits_resume()
    {
        var (r, w) = Harness.RunRaft(6, faults: [new ScheduledFault(Harness.At(2), new Crash(ChainWorld.Leader))]);
        Assert.Empty(w.Violations);
        Assert.Equal(2, r.Metrics.Counter("leader_elections"));
        Assert.Contains(r.Stats.Faults, f => f.Description.StartsWith("crash n"));
        // 200 tx/s offered: the last two seconds commit nearly all of it again.
        Assert.InRange(Harness.CommittedBetween(r, 4, 6), 380, 420);
        // Unavailable between the crash and the next leader: at least a minimum election timeout, at most a few.
        Assert.InRange(r.Metrics.Scalars["unavailable_s"], 0.15, 1.0);
    }

    [Fact]
    public void With_a_minority_partitioned_the_majority_keeps_committing()
    {
        var (r, w) = Harness.RunRaft(6, faults: [new ScheduledFault(Harness.At(2), new Partition([Followers(2)]), Duration.FromSeconds(3))]);
        Assert.Empty(w.Violations);
        // Throughout the partition (2 s to 5 s) the offered 200 tx/s keep committing.
        Assert.InRange(Harness.CommittedBetween(r, 2, 5), 580, 620);
    }

    [Fact]
    public void A_leader_in_the_minority_commits_nothing_and_after_heal_steps_down_and_its_uncommitted_entries_are_replaced()
    {
        // The old leader, one follower and client c0 are cut off from the other three replicas and c1.
        // Check quorum is off, so the stale leader keeps accepting c0's transactions it can never commit.
        NodeId? oldLeader = null;
        var minority = new DynamicNodes("leader, a follower, c0", v =>
        {
            var l = AvailabilityObserver.Leaders(v).Single();
            oldLeader = l;
            var follower = v.Directory.OfKind("replica").First(n => n != l);
            return [l, follower, v.Directory.Find("c0")];
        });
        var snapshot = new Capture<(long Commit, long Last, long Term, bool Leader)>(v =>
        {
            var l = (RaftReplica)v.BehaviourOf(oldLeader!.Value);
            return (l.CommitIndex, l.LastLogIndex, l.CurrentTerm, l.Role == RaftRole.Leader);
        }, 2.01, 4.99);
        var end = new Capture<(RaftReplica Old, IReadOnlyList<RaftReplica> All)>(v => ((RaftReplica)v.BehaviourOf(oldLeader!.Value), Replicas(v)));

        var (r, w) = Harness.RunRaft(8, raft: new RaftOptions { CheckQuorum = false },
            faults: [new ScheduledFault(Harness.At(2), new Partition([minority]), Duration.FromSeconds(3))],
            observers: [snapshot, end]);

        Assert.Empty(w.Violations);
        var (atStart, atHeal) = (snapshot.Snapshots[0].Value, snapshot.Snapshots[1].Value);
        Assert.True(atHeal.Leader, "the stale leader still believes it leads just before the heal");
        Assert.True(atHeal.Last > atStart.Last + 10, "it kept appending c0's transactions");
        Assert.True(atHeal.Commit <= atStart.Commit + 1, $"minority committed {atHeal.Commit - atStart.Commit} entries"); // +1: an ack already in flight
        var (old, all) = end.AtEnd;
        Assert.NotEqual(RaftRole.Leader, old.Role);
        Assert.True(old.CurrentTerm > atHeal.Term, "it adopted the majority's later term");
        // Its uncommitted entries of the old term are gone: its log now matches the new leader's.
        var leader = all.Single(x => x.Role == RaftRole.Leader);
        Assert.True(r.Metrics.Counter("raft_entries_truncated") > 0, $"start {atStart} heal {atHeal} end commit {old.CommitIndex} last {old.LastLogIndex} term {old.CurrentTerm}; leader last {leader.LastLogIndex} term {leader.CurrentTerm}; " + string.Join("; ", r.Metrics.Findings.Select(f => f.At + " " + f.Text)));
        for (long i = 1; i <= old.CommitIndex; i++) Assert.Equal(leader.Log[(int)i - 1].Block.Hash, old.Log[(int)i - 1].Block.Hash);
        Assert.DoesNotContain(old.Log.Skip((int)atStart.Commit + 1), e => e.Term == atStart.Term);
        // And c0's stranded transactions are committed after the heal, through the new leader.
        Assert.True(Harness.CommittedBetween(r, 5.5, 8) > 400);
    }

    [Fact]
    public void A_restarted_replica_keeps_its_term_vote_and_log_and_catches_up()
    {
        var follower = new DynamicNodes("a follower", v => [v.Directory.OfKind("replica").First(n => !AvailabilityObserver.Leaders(v).Contains(n))]);
        var end = new Capture<IReadOnlyList<RaftReplica>>(Replicas);
        var (r, w) = Harness.RunRaft(6,
            faults: [new ScheduledFault(Harness.At(2), new Crash(follower), Duration.FromSeconds(1))],
            observers: [end]);
        Assert.Empty(w.Violations);
        var commits = end.AtEnd!.Select(x => x.CommitIndex).ToList();
        Assert.True(commits.Min() > 0);
        Assert.Equal(1, r.Metrics.Counter("leader_elections"));
        // Every replica, the restarted one included, holds the same committed prefix.
        var shortest = commits.Min();
        foreach (var x in end.AtEnd!) Assert.Equal(end.AtEnd![0].Log[(int)shortest - 1].Block.Hash, x.Log[(int)shortest - 1].Block.Hash);
    }
}
