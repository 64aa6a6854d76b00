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
/// The index from id to queue position is per client a small ring indexed by sequence number (<see cref="ClientWindows"/>):
/// every replica of a BFT chain adds and removes every request, and a hash table of a thousand ids per replica missed
/// the cache on almost every insert and remove (HotStuff, 64 replicas: ~15% of a run).
/// Removal is lazy: the arrival queue keeps a removed entry (as a null) until it is compacted away, so
/// removing from the middle costs O(1) and enumeration skips the dead entries without a lookup each.
/// <para><see cref="NextUnproposed"/> is <see cref="NextBlock"/> for a caller whose "already proposed"
/// only grows until it says otherwise (<see cref="ForgetProposed"/>): the pool remembers how far the
/// front of the queue is all proposed and starts there, so a saturated primary with many batches in
/// flight does not rescan them for every request (linear instead of quadratic).</para>
/// </summary>
public sealed class Mempool(BlockOptions options)
{
    // Arrival order; null = a removed entry (every replica of a BFT chain adds and removes every transaction,
    // so liveness is read from the queue itself, not looked up in the map).
    private readonly List<Transaction?> _queue = [];
    // Id → position of its live entry (_queue index + _base: positions survive dropping the dead front).
    private readonly ClientWindows _live = new();
    private long _base;
    private int _head;
    private int _dead;
    // Every live entry in [_head, _proposedPrefix) was proposed when NextUnproposed last looked.
    private int _proposedPrefix;

    public BlockOptions Options => options;
    public int Count => _live.Count;
    /// <summary>Bytes of the pending transactions.</summary>
    public long Bytes { get; private set; }

    /// <summary>A full block's worth is pending (counting every pending transaction).</summary>
    public bool HasFullBlock => _live.Count >= options.MaxTransactions || Bytes >= options.MaxBytes;

    public bool Contains(TxId id) => _live.TryGetValue(id, out _);

    /// <summary>Adds a transaction at the back; false if one with the same id is already pending.</summary>
    public bool Add(Transaction tx)
    {
        if (!_live.TryAdd(tx.Id, _base + _queue.Count)) return false;
        _queue.Add(tx);
        Bytes += tx.SizeBytes;
        return true;
    }

    /// <summary>Removes a pending transaction (e.g. once it committed); false if it was not pending.</summary>
    public bool Remove(TxId id)
    {
        if (!_live.Remove(id, out var position)) return false;
        var at = (int)(position - _base);
        Bytes -= _queue[at]!.SizeBytes;
        _queue[at] = null;
        _dead++; // its entry stays in the queue until the head passes it or a compaction
        SkipDeadHead();
        return true;
    }

    /// <summary>Pending transactions, oldest first.</summary>
    public IEnumerable<Transaction> InArrivalOrder()
    {
        for (int i = _head; i < _queue.Count; i++)
            if (_queue[i] is { } tx) yield return tx;
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
        _base = 0;
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
            var tx = _queue[i];
            if (tx is null || (skip is not null && skip(tx)))
            {
                if (batch.Count == 0) prefix = i + 1;
                continue;
            }
            if (batch.Count > 0 && bytes + tx.SizeBytes > options.MaxBytes) { overflow = true; break; }
            bytes += tx.SizeBytes;
            batch.Add(tx);
            if (batch.Count == options.MaxTransactions) break;
        }
        full = overflow || batch.Count == options.MaxTransactions || bytes >= options.MaxBytes;
        return batch;
    }

    // _dead counts the dead entries at or after the head; everything before the head is dead.
    private void SkipDeadHead()
    {
        while (_head < _queue.Count && _queue[_head] is null) { _head++; _dead--; }
        // Compact when most of the queue is dead (the head can be held by one old pending transaction).
        var garbage = _head + _dead;
        if (garbage <= 1024 || garbage <= _queue.Count / 2) return;
        if (_dead == 0)
        {
            // Only the front is dead (removals in arrival order): drop it; positions stay valid through _base.
            _queue.RemoveRange(0, _head);
            _base += _head;
            _proposedPrefix = Math.Max(0, _proposedPrefix - _head);
        }
        else
        {
            // Dead entries in the middle too: close the gaps and renumber the live entries.
            _base += _queue.Count;
            int w = 0;
            for (int i = _head; i < _queue.Count; i++)
            {
                if (_queue[i] is not { } tx) continue;
                _queue[w] = tx;
                _live.Set(tx.Id, _base + w);
                w++;
            }
            _queue.RemoveRange(w, _queue.Count - w);
            _proposedPrefix = 0; // indices moved
        }
        _head = 0;
        _dead = 0;
    }
}
