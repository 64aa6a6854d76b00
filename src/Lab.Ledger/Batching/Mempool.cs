using Lab.Ledger.Transactions;

namespace Lab.Ledger.Batching;

/// <summary>
/// Pending transactions in arrival order, each at most once (by id), with O(1) add, lookup and
/// removal. A block holds up to <see cref="BlockOptions.MaxTransactions"/> transactions and
/// <see cref="BlockOptions.MaxBytes"/> bytes (a single larger transaction still gets a block).
/// Two ways to form one:
/// <list type="bullet">
/// <item><see cref="Cut"/> takes the next block off the front: an orderer that owns its pool (Raft's
/// leader, the solo orderer) and hands the transactions over.</item>
/// <item><see cref="NextBlock"/> only selects: the BFT protocols keep every request on every replica
/// until it commits (a new leader must be able to propose it), remove it with <see cref="Remove"/>
/// when it does, and skip the ones already in an uncommitted proposal.</item>
/// </list>
/// Removal is lazy: the arrival queue keeps a removed entry until it is compacted away, so removing
/// from the middle costs O(1) and enumeration skips the dead entries.
/// <para><see cref="NextUnproposed"/> is <see cref="NextBlock"/> for a caller whose "already proposed"
/// only grows until it says otherwise (<see cref="ForgetProposed"/>): the pool remembers how far the
/// front of the queue is all proposed and starts there, so a saturated primary with many batches in
/// flight does not rescan them for every request (linear instead of quadratic).</para>
/// </summary>
public sealed class Mempool(BlockOptions options)
{
    private readonly List<Entry> _queue = [];
    // Id → arrival number of its live entry (an entry whose number differs is dead: removed, maybe
    // re-added since) and its size.
    private readonly Dictionary<TxId, (long Arrival, int Size)> _live = new();
    private int _head;
    private int _dead;
    private long _arrivals;
    // Every live entry in [_head, _proposedPrefix) was proposed when NextUnproposed last looked.
    private int _proposedPrefix;

    private readonly record struct Entry(long Arrival, Transaction Tx);

    public BlockOptions Options => options;
    public int Count => _live.Count;
    /// <summary>Bytes of the pending transactions.</summary>
    public long Bytes { get; private set; }

    /// <summary>A full block's worth is pending (counting every pending transaction).</summary>
    public bool HasFullBlock => _live.Count >= options.MaxTransactions || Bytes >= options.MaxBytes;

    public bool Contains(TxId id) => _live.ContainsKey(id);

    /// <summary>Adds a transaction at the back; false if one with the same id is already pending.</summary>
    public bool Add(Transaction tx)
    {
        var arrival = ++_arrivals;
        if (!_live.TryAdd(tx.Id, (arrival, tx.SizeBytes))) return false;
        _queue.Add(new Entry(arrival, tx));
        Bytes += tx.SizeBytes;
        return true;
    }

    /// <summary>Removes a pending transaction (e.g. once it committed); false if it was not pending.</summary>
    public bool Remove(TxId id)
    {
        if (!_live.Remove(id, out var live)) return false;
        _dead++; // its entry stays in the queue until the head passes it or a compaction
        Bytes -= live.Size;
        SkipDeadHead();
        return true;
    }

    /// <summary>Pending transactions, oldest first.</summary>
    public IEnumerable<Transaction> InArrivalOrder()
    {
        for (int i = _head; i < _queue.Count; i++)
            if (IsLive(_queue[i])) yield return _queue[i].Tx;
    }

    /// <summary>Takes the next block's transactions from the front (at least one if any are pending).</summary>
    public List<Transaction> Cut()
    {
        var batch = Select(null, 0, out _, out _);
        foreach (var tx in batch) Remove(tx.Id);
        return batch;
    }

    /// <summary>
    /// The next block's transactions in arrival order, leaving them pending: transactions for which
    /// <paramref name="skip"/> is true (already proposed) are passed over. <paramref name="full"/>:
    /// a block limit was reached (a proposer that is not forced to may wait for more otherwise).
    /// </summary>
    public List<Transaction> NextBlock(Func<Transaction, bool>? skip, out bool full) => Select(skip, 0, out full, out _);

    /// <summary>
    /// <see cref="NextBlock"/> with <paramref name="proposed"/> as the skip, for a caller that promises
    /// that a pending transaction it once called proposed stays proposed until it calls
    /// <see cref="ForgetProposed"/> (a transaction leaves the proposed set only by leaving the pool).
    /// The same selection, without rescanning the proposed front of the queue.
    /// </summary>
    public List<Transaction> NextUnproposed(Func<Transaction, bool> proposed, out bool full)
    {
        var batch = Select(proposed, _proposedPrefix, out full, out var prefix);
        _proposedPrefix = prefix;
        return batch;
    }

    /// <summary>The caller's proposed set shrank (e.g. a view change cleared it): the next
    /// <see cref="NextUnproposed"/> looks at every pending transaction again.</summary>
    public void ForgetProposed() => _proposedPrefix = 0;

    /// <summary>Drops everything (e.g. a leader stepping down: clients retry elsewhere).</summary>
    public void Clear()
    {
        _queue.Clear();
        _live.Clear();
        _head = 0;
        _dead = 0;
        _proposedPrefix = 0;
        Bytes = 0;
    }

    // Scans from max(head, start); prefix: the end of the run of dead or skipped entries at the start of the scan.
    private List<Transaction> Select(Func<Transaction, bool>? skip, int start, out bool full, out int prefix)
    {
        var batch = new List<Transaction>(Math.Min(_live.Count, options.MaxTransactions));
        long bytes = 0;
        var overflow = false;
        var i = Math.Max(_head, start);
        prefix = i;
        for (; i < _queue.Count; i++)
        {
            var e = _queue[i];
            if (!IsLive(e) || (skip is not null && skip(e.Tx)))
            {
                if (batch.Count == 0) prefix = i + 1;
                continue;
            }
            if (batch.Count > 0 && bytes + e.Tx.SizeBytes > options.MaxBytes) { overflow = true; break; }
            bytes += e.Tx.SizeBytes;
            batch.Add(e.Tx);
            if (batch.Count == options.MaxTransactions) break;
        }
        full = overflow || batch.Count == options.MaxTransactions || bytes >= options.MaxBytes;
        return batch;
    }

    private bool IsLive(Entry e) => _live.TryGetValue(e.Tx.Id, out var live) && live.Arrival == e.Arrival;

    // _dead counts the dead entries at or after the head; everything before the head is dead.
    private void SkipDeadHead()
    {
        while (_head < _queue.Count && !IsLive(_queue[_head])) { _head++; _dead--; }
        // Compact when most of the queue is dead (the head can be held by one old pending transaction).
        var garbage = _head + _dead;
        if (garbage > 1024 && garbage > _queue.Count / 2)
        {
            _queue.RemoveAll(e => !IsLive(e));
            _head = 0;
            _dead = 0;
            _proposedPrefix = 0; // indices moved

        }
    }
}
