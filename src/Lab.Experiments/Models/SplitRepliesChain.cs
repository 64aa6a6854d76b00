using Lab.Consensus.Common;
using Lab.Finance.Chain;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Experiments.Models;

/// <summary>
/// Wraps a settlement chain so its clients also understand <see cref="ClientReplies"/>: Raft and solo
/// answer a whole committed block in one message, which <see cref="ReplyQuorumClient"/> (Lab.Finance)
/// does not unpack — without this each such reply would be lost and the transaction retried.
/// </summary>
public sealed class SplitRepliesChain(ISettlementChain inner) : ISettlementChain
{
    public string Protocol => inner.Protocol;
    public string FinalityRule => inner.FinalityRule;
    public IReadOnlyList<NodeSpec> Replicas(Func<IStateMachine> stateMachine) => inner.Replicas(stateMachine);
    public IChainClient NewClient() => new Client(inner.NewClient());

    private sealed class Client(IChainClient inner) : IChainClient
    {
        public int InFlight => inner.InFlight;
        public void Start(INodeContext ctx) => inner.Start(ctx);
        public void Submit(INodeContext ctx, Transaction tx) => inner.Submit(ctx, tx);
        public bool TryHandleTimer(INodeContext ctx, object state, List<ChainFinality> final) => inner.TryHandleTimer(ctx, state, final);

        public bool TryHandle(INodeContext ctx, NodeId from, object message, List<ChainFinality> final)
        {
            if (message is not ClientReplies replies) return inner.TryHandle(ctx, from, message, final);
            foreach (var r in replies.Replies) inner.TryHandle(ctx, from, r, final);
            return true;
        }
    }
}
