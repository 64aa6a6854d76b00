using Lab.Consensus.Raft;
using Lab.Consensus.Tests.Common;
using Lab.Sim.Faults;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Raft;

public class RaftPreVoteTests
{
    private static (double Elections, long MaxTerm) IsolateAndRejoin(bool preVote)
    {
        // One follower is cut off for 2 s: it times out again and again. On rejoining, without
        // pre-vote its inflated term deposes the healthy leader; with pre-vote it never raised its term.
        var follower = new DynamicNodes("a follower", v => [v.Directory.OfKind("replica").First(n => !Lab.Consensus.Common.AvailabilityObserver.Leaders(v).Contains(n))]);
        var end = new Capture<long>(v => v.Directory.OfKind("replica").Max(n => ((RaftReplica)v.BehaviourOf(n)).CurrentTerm));
        var (r, w) = Harness.RunRaft(5, raft: new RaftOptions { PreVote = preVote },
            faults: [new ScheduledFault(Harness.At(1), new Partition([follower]), Duration.FromSeconds(2))], observers: [end]);
        Assert.Empty(w.Violations);
        return (r.Metrics.Counter("leader_elections"), end.AtEnd);
    }

    [Fact]
    public void With_pre_vote_a_rejoining_partitioned_follower_does_not_depose_the_leader()
    {
        var (elections, term) = IsolateAndRejoin(preVote: true);
        Assert.Equal(1, elections);
        Assert.Equal(1, term);
    }

    [Fact]
    public void Without_pre_vote_the_rejoining_follower_forces_a_new_term()
    {
        var (elections, term) = IsolateAndRejoin(preVote: false);
        Assert.True(term > 2, $"term {term}");
        Assert.True(elections >= 2);
    }
}
