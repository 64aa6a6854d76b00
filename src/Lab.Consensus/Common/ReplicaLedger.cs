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
            if (reply) Batch(tx.Id.Client).Add(tx.Id, outcome);
        }
        if (reply) SendBatches(ctx, block);
        if (firstTime)
        {
            ctx.Metrics.Add(StandardMetrics.AppliedBlocks);
            ctx.Metrics.Add(StandardMetrics.AppliedTx, block.Transactions.Count);
        }
    }

    // Replies for one block, grouped by client in order of first appearance (deterministic). The
    // builders are reused from block to block; a message shares the block's transaction list and gets an
    // outcome array only when some outcome is not plain Ok (no array per transaction otherwise).
    private readonly List<ReplyBatch> _batches = [];
    private int _batchCount;
    private readonly Dictionary<NodeId, int> _batchIndex = [];

    private sealed class ReplyBatch
    {
        public NodeId Client;
        public TxId First;
        public int Count;
        public readonly List<TxOutcome> Outcomes = [];
        public bool AllOk = true;   // every outcome is TxOutcome.Ok itself: the message needs no outcome array

        public void Add(TxId tx, TxOutcome outcome)
        {
            if (Count++ == 0) First = tx;
            Outcomes.Add(outcome);
            AllOk &= ReferenceEquals(outcome, TxOutcome.Ok);
        }
    }

    private ReplyBatch Batch(NodeId client)
    {
        if (!_batchIndex.TryGetValue(client, out var i))
        {
            _batchIndex[client] = i = _batchCount++;
            if (i == _batches.Count) _batches.Add(new ReplyBatch());
            _batches[i].Client = client;
        }
        return _batches[i];
    }

    private void SendBatches(INodeContext ctx, Block block)
    {
        for (int b = 0; b < _batchCount; b++)
        {
            var batch = _batches[b];
            var count = batch.Count;
            if (count == 1) ctx.Send(batch.Client, new ClientReply(batch.First, block.Height, true, ctx.Self, batch.Outcomes[0]), _replyBytes);
            else ctx.Send(batch.Client, new ClientReplies(block.Height, ctx.Self, block.Transactions, batch.Client, count, batch.AllOk ? null : [.. batch.Outcomes]), checked(_replyBytes * count));
            batch.Count = 0;
            batch.Outcomes.Clear();
            batch.AllOk = true;
        }
        _batchCount = 0;
        _batchIndex.Clear();
    }

    /// <summary>What applying <paramref name="tx"/> did (for a client asking again about a committed transaction).</summary>
    public TxOutcome OutcomeOf(TxId tx) => _rejected.TryGetValue(tx, out var o) ? o : _state.ResultOf(tx) ?? TxOutcome.Ok;

    /// <summary>Answers a client that asks again about a transaction already committed at <paramref name="height"/>.</summary>
    public void ReplyCommitted(INodeContext ctx, TxId tx, long height) =>
        ctx.Send(tx.Client, new ClientReply(tx, height, true, ctx.Self, OutcomeOf(tx)), _replyBytes);
}
