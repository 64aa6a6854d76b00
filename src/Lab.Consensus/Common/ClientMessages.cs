using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Common;

/// <summary>A client asks a replica to order a transaction.</summary>
public sealed record ClientRequest(Transaction Tx);

/// <summary>
/// A replica tells a client its transaction is committed at <paramref name="Height"/> (or, when
/// <paramref name="Committed"/> is false, that it is not the leader and who might be).
/// Clients apply their protocol's finality rule: Raft one reply from the leader, BFT f+1 matching.
/// <paramref name="Outcome"/> is what the state machine did with it (accepted or rejected, and why).
/// <paramref name="Confirmations"/>: for chains that report depth (proof of work), blocks on top of
/// the transaction's block, itself included; null where commitment is final at once.
/// </summary>
public sealed record ClientReply(TxId Tx, long Height, bool Committed, NodeId? LeaderHint = null, TxOutcome? Outcome = null, int? Confirmations = null);

/// <summary>
/// Several replies to one client in one message: a leader answering for a whole committed block at
/// once (one network message instead of one per transaction). Clients treat it as its replies in order.
/// <para>Built by a replica from a block as ids and outcomes (<see cref="ClientReplies(long, NodeId, TxId[], TxOutcome[])"/>):
/// no reply object per transaction. <see cref="Replies"/> then makes them when first asked; a
/// <see cref="Workload.FinalityTracker"/> reads <see cref="At"/> instead and makes none.</para>
/// </summary>
public sealed record ClientReplies
{
    private IReadOnlyList<ClientReply>? _replies;
    private readonly TxId[]? _txs;
    private readonly TxOutcome[]? _outcomes;   // null: every one TxOutcome.Ok
    private readonly long _height;
    private readonly NodeId _replica;

    public ClientReplies(IReadOnlyList<ClientReply> replies) => _replies = replies;

    /// <summary>Committed at <paramref name="height"/> by <paramref name="replica"/>: <paramref name="txs"/>[i] with
    /// <paramref name="outcomes"/>[i], or <see cref="TxOutcome.Ok"/> for all when null (the same as
    /// <c>new ClientReply(txs[i], height, true, replica, outcome)</c> each).</summary>
    public ClientReplies(long height, NodeId replica, TxId[] txs, TxOutcome[]? outcomes)
    {
        if (outcomes is not null && txs.Length != outcomes.Length) throw new ArgumentException("one outcome per transaction");
        (_height, _replica, _txs, _outcomes) = (height, replica, txs, outcomes);
    }

    public int Count => _txs?.Length ?? _replies!.Count;

    /// <summary>The replies in order.</summary>
    public IReadOnlyList<ClientReply> Replies => _replies ??= [.. Enumerable.Range(0, _txs!.Length).Select(i => new ClientReply(_txs[i], _height, true, _replica, _outcomes?[i] ?? TxOutcome.Ok))];

    /// <summary>Reply <paramref name="index"/>'s fields, without making a reply object for the compact form.</summary>
    public (TxId Tx, long Height, bool Committed, NodeId? LeaderHint, TxOutcome? Outcome, int? Confirmations) At(int index)
    {
        if (_txs is not null) return (_txs[index], _height, true, _replica, _outcomes?[index] ?? TxOutcome.Ok, null);
        var r = _replies![index];
        return (r.Tx, r.Height, r.Committed, r.LeaderHint, r.Outcome, r.Confirmations);
    }
}
