using Lab.Ledger.Batching;
using Lab.Ledger.Transactions;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// A BFT replica's pending requests: <see cref="Mempool"/>'s arrival queue and block selection, exactly (the same
/// blocks in the same order; <c>RequestPoolTests</c> checks it against <see cref="Mempool"/>), with another index
/// from id to queue position. Every replica of a HotStuff chain adds and removes every request, so the index is
/// on the hot path at n replicas per transaction: a hash table of a thousand ids per replica misses the cache on
/// almost every insert and remove (64 replicas: ~15% of a run). Clients number their requests 0, 1, 2, …, and the
/// pending ones of a client are a short run of consecutive numbers, so the index is per client a small ring of
/// positions indexed by sequence number (<see cref="ClientWindows"/>); ids that do not fit (invented by a Byzantine
/// leader, or far behind or ahead of the client's window) go to an ordinary dictionary.
/// Removal is lazy as in <see cref="Mempool"/>: the queue keeps a removed entry as a null until it is compacted.
/// </summary>
public sealed class RequestPool(BlockOptions options)
{
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

    /// <summary><see cref="Mempool.NextBlock"/>: the next block's transactions in arrival order, leaving them pending,
    /// passing over those for which <paramref name="skip"/> is true; <paramref name="full"/>: a block limit was reached.</summary>
    public List<Transaction> NextBlock(Func<Transaction, bool>? skip, out bool full) => Select(skip, 0, out full, out _);

    /// <summary><see cref="Mempool.NextUnproposed"/>: <see cref="NextBlock"/> for a caller whose proposed set only grows
    /// until it calls <see cref="ForgetProposed"/>, without rescanning the proposed front of the queue.</summary>
    public List<Transaction> NextUnproposed(Func<Transaction, bool> proposed, out bool full)
    {
        var batch = Select(proposed, _proposedPrefix, out full, out var prefix);
        _proposedPrefix = prefix;
        return batch;
    }

    /// <summary>The caller's proposed set shrank (e.g. a view change cleared it): the next
    /// <see cref="NextUnproposed"/> looks at every pending transaction again.</summary>
    public void ForgetProposed() => _proposedPrefix = 0;

    // Scans from max(head, start); prefix: the end of the run of dead or skipped entries at the start of the scan.
    // (Mempool.Select, line for line: the blocks must be the same.)
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

/// <summary>
/// Transaction id → a non-negative number (a queue position), for ids that come and go in about the order clients
/// number them: per client a ring of slots for the sequence numbers [lo, lo + capacity), which grows (up to
/// <see cref="MaxWindow"/>) when a client runs ahead and moves on when its oldest entry goes. An id outside its
/// client's window (behind it, too far ahead, or not a client's numbering at all) is kept in a dictionary instead.
/// An id is in at most one of the two. The windows are structs in one array (one cache line less per use than an
/// object per client: every replica's index is cold when the next request reaches it).
/// </summary>
public sealed class ClientWindows
{
    private const int DenseClients = 1 << 16;
    private const int FirstWindow = 64;
    /// <summary>Most consecutive sequence numbers one client's ring covers.</summary>
    public const int MaxWindow = 1 << 16;

    private struct Window
    {
        public long Lo;        // the oldest sequence number the ring covers
        public long Hi;        // one past the newest sequence number in the ring (Lo == Hi: empty)
        public long[]? Slots;  // value + 1 at [seq & (length − 1)]; 0: absent (null: the client never had one)
        public int Live;
    }

    private Window[] _clients = [];
    private Dictionary<TxId, long>? _others;
    private int _inWindows;

    public int Count => _inWindows + (_others?.Count ?? 0);

    /// <summary>True if <paramref name="id"/>'s client window covers it: its slot is <paramref name="slots"/>[<paramref name="at"/>].</summary>
    private bool InWindow(TxId id, out long[] slots, out int at)
    {
        var client = id.Client.Value;
        if ((uint)client < (uint)_clients.Length)
        {
            ref var w = ref _clients[client];
            var seq = id.Sequence;
            if (seq >= w.Lo && seq < w.Hi)
            {
                slots = w.Slots!;
                at = (int)(seq & (slots.Length - 1));
                return true;
            }
        }
        slots = [];
        at = 0;
        return false;
    }

    public bool TryGetValue(TxId id, out long value)
    {
        if (InWindow(id, out var slots, out var at) && slots[at] != 0)
        {
            value = slots[at] - 1;
            return true;
        }
        value = 0;
        return _others is not null && _others.TryGetValue(id, out value);
    }

    /// <summary>Adds <paramref name="id"/> with <paramref name="value"/> (≥ 0); false (no change) if it is there already.</summary>
    public bool TryAdd(TxId id, long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (_others is not null && _others.ContainsKey(id)) return false;
        var client = id.Client.Value;
        var seq = id.Sequence;
        if ((uint)client < DenseClients)
        {
            if (client >= _clients.Length) Array.Resize(ref _clients, Math.Max(client + 1, 2 * _clients.Length));
            ref var w = ref _clients[client];
            if (seq >= w.Lo && seq < w.Hi && w.Slots![seq & (w.Slots.Length - 1)] != 0) return false; // there already
            w.Slots ??= new long[FirstWindow];
            if (w.Live == 0) w.Lo = w.Hi = seq; // empty: the window starts here
            if (seq >= w.Lo && seq - w.Lo < MaxWindow)
            {
                if (seq - w.Lo >= w.Slots.Length) Grow(ref w, seq - w.Lo + 1);
                var slots = w.Slots!;
                slots[seq & (slots.Length - 1)] = value + 1;
                if (seq >= w.Hi) w.Hi = seq + 1;
                w.Live++;
                _inWindows++;
                return true;
            }
        }
        (_others ??= []).Add(id, value);
        return true;
    }

    /// <summary>Changes the value of <paramref name="id"/>, which must be present.</summary>
    public void Set(TxId id, long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (InWindow(id, out var slots, out var at) && slots[at] != 0) slots[at] = value + 1;
        else if (_others is not null && _others.ContainsKey(id)) _others[id] = value;
        else throw new KeyNotFoundException($"{id} is not in the index");
    }

    public bool Remove(TxId id, out long value)
    {
        if (InWindow(id, out var slots, out var at) && slots[at] != 0)
        {
            value = slots[at] - 1;
            slots[at] = 0;
            ref var w = ref _clients[id.Client.Value];
            w.Live--;
            _inWindows--;
            if (w.Live == 0) w.Lo = w.Hi;
            else while (w.Slots![w.Lo & (w.Slots.Length - 1)] == 0) w.Lo++; // the oldest live one is the new start
            return true;
        }
        value = 0;
        return _others is not null && _others.Remove(id, out value);
    }

    private static void Grow(ref Window w, long needed)
    {
        var old = w.Slots!;
        var length = old.Length;
        while (length < needed) length *= 2;
        var slots = new long[length];
        for (var s = w.Lo; s < w.Hi; s++) slots[s & (length - 1)] = old[s & (old.Length - 1)];
        w.Slots = slots;
    }
}
