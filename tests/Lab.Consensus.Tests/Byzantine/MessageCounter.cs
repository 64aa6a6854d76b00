using Lab.Consensus.Common;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Tests.Byzantine;

/// <summary>Wraps a replica and counts the messages it receives, by type (test instrumentation).</summary>
public sealed class MessageCounter(IReplica inner, SortedDictionary<string, int> counts) : IReplica
{
    public CommitLog? Commits => inner.Commits;
    public bool IsByzantine => inner.IsByzantine;
    public IReplica Inner => inner;

    public void OnStart(INodeContext ctx) => inner.OnStart(ctx);

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (from != ctx.Self)
            lock (counts) counts[message.GetType().Name] = counts.GetValueOrDefault(message.GetType().Name) + 1;
        inner.OnMessage(ctx, from, message);
    }

    public void OnTimer(INodeContext ctx, object state) => inner.OnTimer(ctx, state);
}
