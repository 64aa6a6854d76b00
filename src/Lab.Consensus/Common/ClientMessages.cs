using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Common;

/// <summary>
/// A client asks a replica to order a transaction. Clients (<see cref="Workload.FinalityTracker"/>) send the
/// <see cref="Transaction"/> itself as the request, as a real client sends its signed transaction (no envelope
/// object per transaction: runs submit millions); a replica that relays a request may wrap it in a
/// <see cref="ClientRequest"/>. Receivers read both forms with <see cref="TxOf"/>.
/// </summary>
public sealed record ClientRequest(Transaction Tx)
{
    /// <summary>The transaction a client request carries: <paramref name="message"/> itself when it is a
    /// <see cref="Transaction"/>, its <see cref="Tx"/> when it is a <see cref="ClientRequest"/>; null for any other message.</summary>
    public static Transaction? TxOf(object message) => message switch
    {
        Transaction tx => tx,
        ClientRequest request => request.Tx,
        _ => null,
    };
}

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
/// <para>Built by a replica from a block without a reply object per transaction: as ids and outcomes
/// (<see cref="ClientReplies(long, NodeId, TxId[], TxOutcome[])"/>), or, with no array per message either,
/// as the committed block's transactions and the client they are for
/// (<see cref="ClientReplies(long, NodeId, IReadOnlyList{Transaction}, NodeId, int, TxOutcome[])"/>).
/// <see cref="Replies"/> then makes the reply objects when first asked; a <see cref="Workload.FinalityTracker"/>
/// enumerates the fields instead (<see cref="GetEnumerator"/>) and makes none.</para>
/// </summary>
public sealed record ClientReplies
{
    private IReadOnlyList<ClientReply>? _replies;
    private readonly TxId[]? _txs;
    private readonly IReadOnlyList<Transaction>? _block;   // the block form: _client's transactions in it, in block order
    private readonly NodeId _client;
    private readonly int _count;
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
        (_height, _replica, _txs, _outcomes, _count) = (height, replica, txs, outcomes, txs.Length);
    }

    /// <summary>Committed at <paramref name="height"/> by <paramref name="replica"/>: the <paramref name="count"/> transactions
    /// of <paramref name="block"/> submitted by <paramref name="client"/>, in block order, with <paramref name="outcomes"/> in
    /// the same order (null: every one <see cref="TxOutcome.Ok"/>). The block's list is shared, not copied: it must not change.</summary>
    public ClientReplies(long height, NodeId replica, IReadOnlyList<Transaction> block, NodeId client, int count, TxOutcome[]? outcomes)
    {
        if (outcomes is not null && count != outcomes.Length) throw new ArgumentException("one outcome per transaction");
        (_height, _replica, _block, _client, _count, _outcomes) = (height, replica, block, client, count, outcomes);
    }

    public int Count => _replies?.Count ?? _count;

    /// <summary>The replies in order.</summary>
    public IReadOnlyList<ClientReply> Replies
    {
        get
        {
            if (_replies is not null) return _replies;
            var list = new List<ClientReply>(_count);
            foreach (var r in this) list.Add(new ClientReply(r.Tx, r.Height, r.Committed, r.LeaderHint, r.Outcome, r.Confirmations));
            return _replies = list;
        }
    }

    /// <summary>Reply <paramref name="index"/>'s fields, without making a reply object for the compact forms
    /// (the block form looks for it from the start: enumerate to read them all).</summary>
    public (TxId Tx, long Height, bool Committed, NodeId? LeaderHint, TxOutcome? Outcome, int? Confirmations) At(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        if (_txs is not null) return (_txs[index], _height, true, _replica, _outcomes?[index] ?? TxOutcome.Ok, null);
        if (_block is not null)
        {
            var e = GetEnumerator();
            for (int i = 0; i <= index; i++) e.MoveNext();
            return e.Current;
        }
        var r = _replies![index];
        return (r.Tx, r.Height, r.Committed, r.LeaderHint, r.Outcome, r.Confirmations);
    }

    /// <summary>The replies' fields in order (a struct enumerator: no reply objects, no allocation).</summary>
    public Enumerator GetEnumerator() => new(this);

    public struct Enumerator
    {
        private readonly ClientReplies _r;
        private int _index;
        private int _position;   // the block form: where in the block reply _index is

        internal Enumerator(ClientReplies r) => (_r, _index, _position) = (r, -1, -1);

        public bool MoveNext()
        {
            if (_index + 1 >= _r.Count) return false;
            _index++;
            if (_r._block is { } block)
                do _position++; while (block[_position].Id.Client != _r._client);
            return true;
        }

        public readonly (TxId Tx, long Height, bool Committed, NodeId? LeaderHint, TxOutcome? Outcome, int? Confirmations) Current
        {
            get
            {
                if (_r._block is { } block) return (block[_position].Id, _r._height, true, _r._replica, _r._outcomes?[_index] ?? TxOutcome.Ok, null);
                if (_r._txs is { } txs) return (txs[_index], _r._height, true, _r._replica, _r._outcomes?[_index] ?? TxOutcome.Ok, null);
                var reply = _r._replies![_index];
                return (reply.Tx, reply.Height, reply.Committed, reply.LeaderHint, reply.Outcome, reply.Confirmations);
            }
        }
    }
}
