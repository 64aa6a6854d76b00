using Lab.Consensus.Common;
using Lab.Consensus.Raft;
using Lab.Consensus.Tests.Common;
using Lab.Ledger.Crypto;
using Lab.Ledger.Identity;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Tests.Raft;

public class RaftMembershipTests
{
    /// <summary>An outsider claiming a huge term: if admitted, it would depose the leader.</summary>
    private sealed class Intruder(IReadOnlyList<NodeId> replicas) : INodeBehaviour
    {
        public void OnStart(INodeContext ctx) => ctx.SetTimer(Lab.Sim.Time.Duration.FromSeconds(1), "strike");
        public void OnTimer(INodeContext ctx, object state)
        {
            foreach (var r in replicas)
            {
                ctx.Send(r, new AppendEntries(1_000, ctx.Self, 0, 0, [], 0), 64);
                ctx.Send(r, new RequestVote(1_000, ctx.Self, 1_000_000, 1_000, false), 48);
            }
        }
        public void OnMessage(INodeContext ctx, NodeId from, object message) { }
    }

    private static readonly Consortium Members = new(
        [new("n0", Role.Validator), new("n1", Role.Validator), new("n2", Role.Validator), new("n3", Role.Validator), new("n4", Role.Validator),
         new("c0", Role.Client), new("c1", Role.Regulator)], keySeed: 5);

    [Fact]
    public void A_non_members_protocol_messages_are_refused_and_counted()
    {
        var end = new Capture<long[]>(v => v.Directory.OfKind("replica").Select(n => ((RaftReplica)v.BehaviourOf(n)).CurrentTerm).ToArray());
        var (r, w) = Harness.RunRaft(3, chain: Harness.FreeChain with { Members = Members },
            extraNodes: access => [new NodeSpec("mallory", 0, "outsider", () => new Intruder(access.Replicas.Nodes))], observers: [end]);
        Assert.Empty(w.Violations);
        Assert.True(r.Metrics.Counter("rejected_messages") >= 10, $"{r.Metrics.Counter("rejected_messages")} rejected");
        Assert.Equal(1, r.Metrics.Counter("leader_elections"));
        Assert.All(end.AtEnd!, term => Assert.True(term < 1_000));
    }

    [Fact]
    public void A_read_only_regulator_cannot_submit_transactions()
    {
        // c0 is a client, c1 a regulator: only c0's half of the load is ever committed.
        var (r, w) = Harness.RunRaft(3, chain: Harness.FreeChain with { Members = Members }, workload: Harness.Load(200, clients: 2));
        Assert.Empty(w.Violations);
        Assert.True(r.Metrics.Counter("rejected_messages") > 100);
        Assert.InRange(r.Metrics.Counter("committed_tx"), 250, 305); // c0: 100 tx/s for 3 s, minus the election
    }

    [Fact]
    public void Real_signatures_are_verified_by_the_leader_and_committed()
    {
        var chain = Harness.FreeChain with { Signing = new TransactionSigning(SignatureMode.Real, CryptoCosts.ThisMachine) };
        var (r, w) = Harness.RunRaft(2, chain: chain, workload: Harness.Load(50));
        Assert.Empty(w.Violations);
        Assert.Equal(0, r.Metrics.Counter("invalid_signatures"));
        Assert.True(r.Metrics.Counter("committed_tx") > 60);
    }
}
