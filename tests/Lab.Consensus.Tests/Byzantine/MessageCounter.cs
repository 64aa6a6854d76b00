using Lab.Consensus.Common;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Tests.Byzantine;

/// <summary>Wraps a replica and counts the messages it receives, by type (test instrumentation). Passes
/// through what the chain's checkers and availability measure read.</summary>
public sealed class MessageCounter(IBlockSource inner, SortedDictionary<string, int> counts) : IBlockSource, ILeaderRole
{
    public CommitLog? Commits => inner.Commits;
    public bool IsByzantine => inner.IsByzantine;
    public IBlockSource Inner => inner;
    public Block? BlockAt(long height) => inner.BlockAt(height);
    Hash? IBlockSource.CommittedIdAt(long height) => inner.CommittedIdAt(height);
    bool IBlockSource.Delivered(Lab.Ledger.Transactions.Transaction tx, long height) => inner.Delivered(tx, height);
    public bool IsActingLeader => inner is ILeaderRole { IsActingLeader: true };
    public long Term => (inner as ILeaderRole)?.Term ?? 0;
    public int Quorum => (inner as ILeaderRole)?.Quorum ?? 1;

    public void OnStart(INodeContext ctx) => inner.OnStart(ctx);

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (from != ctx.Self)
            lock (counts) counts[message.GetType().Name] = counts.GetValueOrDefault(message.GetType().Name) + 1;
        inner.OnMessage(ctx, from, message);
    }

    public void OnTimer(INodeContext ctx, object state) => inner.OnTimer(ctx, state);
}
