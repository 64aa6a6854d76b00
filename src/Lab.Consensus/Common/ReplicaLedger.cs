using Lab.Ledger.Blocks;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Common;

/// <summary>
/// A replica's committed chain, volatile side: applies committed blocks in height order to the
/// replica's own state machine, records them in the durable <see cref="CommitLog"/>, and (when asked)
/// tells each transaction's client its outcome. After a restart a fresh instance re-applies from
/// height 1, rebuilding the state machine; the commit log checks that nothing committed changed.
/// </summary>
public sealed class ReplicaLedger
{
    private readonly IStateMachine _state;
    private readonly int _replyBytes;
    private readonly Dictionary<TxId, TxOutcome> _rejected = [];
    private CommitLog _log = null!;

    public ReplicaLedger(IStateMachine state, int replyBytes)
    {
        _state = state;
        _replyBytes = replyBytes;
    }

    public CommitLog Commits => _log;
    /// <summary>Height of the last block applied to the state machine by this instance.</summary>
    public long AppliedHeight { get; private set; }
    public IStateMachine State => _state;

    public void OnStart(INodeContext ctx) => _log = CommitLog.Of(ctx);

    /// <summary>
    /// Applies the next committed block. Replies to clients only for blocks this replica commits
    /// for the first time (a restarted replica re-applying old blocks stays quiet).
    /// </summary>
    public void Apply(INodeContext ctx, Block block, bool replyToClients)
    {
        if (block.Height != AppliedHeight + 1)
            throw new InvalidOperationException($"{ctx.Directory.Name(ctx.Self)} applies height {block.Height} after {AppliedHeight}");
        var firstTime = block.Height > _log.Count;
        _log.Commit(block.Height, block.Hash, block.Transactions.Count, ctx.Now);
        AppliedHeight = block.Height;
        var outcomes = _state.Apply(block, ctx);
        var reply = replyToClients && firstTime;
        for (int i = 0; i < block.Transactions.Count; i++)
        {
            var tx = block.Transactions[i];
            var outcome = i < outcomes.Count ? outcomes[i] : TxOutcome.Ok;
            if (!outcome.Accepted) _rejected[tx.Id] = outcome;
            if (reply) Batch(tx.Id.Client).Add(new ClientReply(tx.Id, block.Height, true, ctx.Self, outcome));
        }
        if (reply) SendBatches(ctx);
        if (firstTime)
        {
            ctx.Metrics.Add(StandardMetrics.AppliedBlocks);
            ctx.Metrics.Add(StandardMetrics.AppliedTx, block.Transactions.Count);
        }
    }

    // Replies for one block, grouped by client in order of first appearance (deterministic).
    private readonly List<(NodeId Client, List<ClientReply> Replies)> _batches = [];
    private readonly Dictionary<NodeId, int> _batchIndex = [];

    private List<ClientReply> Batch(NodeId client)
    {
        if (!_batchIndex.TryGetValue(client, out var i))
        {
            _batchIndex[client] = i = _batches.Count;
            _batches.Add((client, []));
        }
        return _batches[i].Replies;
    }

    private void SendBatches(INodeContext ctx)
    {
        foreach (var (client, replies) in _batches)
        {
            if (replies.Count == 1) ctx.Send(client, replies[0], _replyBytes);
            else ctx.Send(client, new ClientReplies(replies), checked(_replyBytes * replies.Count));
        }
        _batches.Clear();
        _batchIndex.Clear();
    }

    /// <summary>What applying <paramref name="tx"/> did (for a client asking again about a committed transaction).</summary>
    public TxOutcome OutcomeOf(TxId tx) => _rejected.TryGetValue(tx, out var o) ? o : TxOutcome.Ok;

    /// <summary>Answers a client that asks again about a transaction already committed at <paramref name="height"/>.</summary>
    public void ReplyCommitted(INodeContext ctx, TxId tx, long height) =>
        ctx.Send(tx.Client, new ClientReply(tx, height, true, ctx.Self, OutcomeOf(tx)), _replyBytes);
}
