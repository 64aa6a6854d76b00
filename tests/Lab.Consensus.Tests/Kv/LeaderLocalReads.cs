using Lab.Consensus.Common;
using Lab.Consensus.Kv;
using Lab.Consensus.Raft;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Tests.Kv;

/// <summary>
/// A deliberately broken read path: a Raft replica that believes it leads answers a get at once from its own
/// state machine, without going through the log and without confirming it still leads (no read index, no lease;
/// Raft thesis §6.4 says why both are needed). A leader cut off from the majority keeps believing it leads (with
/// check-quorum off, until it hears a higher term), so it serves values the new leader has already overwritten.
/// Everything else is the wrapped replica's.
/// </summary>
internal sealed class LeaderLocalReads(RaftReplica inner) : IBlockSource, ILeaderRole
{
    public CommitLog? Commits => inner.Commits;
    public bool IsByzantine => inner.IsByzantine;
    public bool IsActingLeader => inner.IsActingLeader;
    public long Term => ((ILeaderRole)inner).Term;
    public int Quorum => ((ILeaderRole)inner).Quorum;
    public Block? BlockAt(long height) => inner.BlockAt(height);
    public Hash? CommittedIdAt(long height) => ((IBlockSource)inner).CommittedIdAt(height);
    public bool Delivered(Transaction tx, long height) => ((IBlockSource)inner).Delivered(tx, height);

    public void OnStart(INodeContext ctx) => inner.OnStart(ctx);
    public void OnTimer(INodeContext ctx, object state) => inner.OnTimer(ctx, state);

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (ClientRequest.TxOf(message) is { Payload: KvGet get } tx && inner.IsActingLeader)
        {
            var value = ((KvStore)inner.Ledger.State).Read(get.Key);
            ctx.Send(tx.Id.Client, new ClientReply(tx.Id, inner.CommitIndex, true, ctx.Self, new TxOutcome(true, value)), 100);
            return;
        }
        inner.OnMessage(ctx, from, message);
    }
}

/// <summary>Raft whose replicas serve reads through <see cref="LeaderLocalReads"/>.</summary>
internal sealed class LeaderLocalReadRaft(RaftOptions options) : ChainProtocol
{
    private readonly RaftProtocol _raft = new(options);
    public override string Name => "raft";
    public override FaultTolerance Tolerance => _raft.Tolerance;
    public override Lab.Consensus.Workload.FinalityRule Finality(ReplicaSet replicas) => _raft.Finality(replicas);

    public override Func<int, INodeBehaviour> Replicas(ReplicaSet replicas, ChainOptions chain, IReadOnlyList<Lab.Consensus.Byzantine.ByzantineSpec> byzantine)
    {
        var inner = _raft.Replicas(replicas, chain, byzantine);
        return r => new LeaderLocalReads((RaftReplica)inner(r));
    }
}
