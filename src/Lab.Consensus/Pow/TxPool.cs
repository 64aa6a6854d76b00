using Lab.Ledger.Transactions;
using Lab.Sim.Time;

namespace Lab.Consensus.Pow;

/// <summary>
/// The transactions clients submitted to a proof-of-work network, in the order miners see them.
/// Transaction relay is modelled, not simulated message by message (at 6,000 nodes every
/// transaction would cost tens of thousands of events): a transaction a gateway node receives at
/// time t reaches every miner at t + <see cref="RelayDelay"/>, the same for all. The pool is written
/// only between the kernel's windows (<see cref="Admit"/>, by <see cref="PowRun"/>) and read by miners
/// during windows. A transaction becomes visible no earlier than the end of the window in which its
/// gateway took it (when the relay delay is shorter than a window, i.e. than the network's smallest
/// latency), so a miner sees exactly the transactions visible at its own time, whatever the threads.
/// Like a node's mempool it refuses a transaction it already holds (a client's retry), so a chain
/// can hold each transaction once; a block takes the oldest visible ones its chain lacks, so every
/// chain holds a prefix of the pool.
/// </summary>
public sealed class TxPool
{
    private readonly List<PoolEntry> _entries = [];
    private readonly List<long> _bytesBefore = [0]; // _bytesBefore[i] = bytes of entries [0, i)
    private readonly Dictionary<TxId, int> _index = [];

    /// <param name="relayDelay">Time for a transaction to reach every miner from its gateway.</param>
    public TxPool(Duration relayDelay)
    {
        if (relayDelay.IsNegative) throw new ArgumentOutOfRangeException(nameof(relayDelay), "a relay delay cannot be negative");
        RelayDelay = relayDelay;
    }

    public Duration RelayDelay { get; }

    /// <summary>Transactions admitted so far.</summary>
    public int Count => _entries.Count;

    public PoolEntry this[long index] => _entries[checked((int)index)];

    /// <summary>Position of a transaction in the pool, or null if it was never admitted.</summary>
    public long? IndexOf(TxId id) => _index.TryGetValue(id, out var i) ? i : null;

    /// <summary>How many transactions every miner can see at <paramref name="t"/> (a prefix of the pool).</summary>
    public long VisibleAt(SimTime t)
    {
        int lo = 0, hi = _entries.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_entries[mid].VisibleAt <= t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Bytes of the transactions [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public long BytesOf(long from, long to) => _bytesBefore[checked((int)to)] - _bytesBefore[checked((int)from)];

    /// <summary>The largest count of transactions from <paramref name="from"/> on, among the first
    /// <paramref name="available"/>, whose bytes fit in <paramref name="budget"/>.</summary>
    public int Fitting(long from, long available, long budget)
    {
        long lo = from, hi = Math.Max(from, available);
        while (lo < hi)
        {
            var mid = lo + (hi - lo + 1) / 2;
            if (BytesOf(from, mid) <= budget) lo = mid; else hi = mid - 1;
        }
        return checked((int)(lo - from));
    }

    /// <summary>
    /// Adds what gateways received in the window that ends at <paramref name="windowEnd"/>, in order of
    /// receipt (ties: gateway, then arrival order); each becomes visible at the later of its receipt plus
    /// <see cref="RelayDelay"/> and <paramref name="windowEnd"/>. Call between windows only; receipts must
    /// not be older than those admitted before.
    /// </summary>
    public void Admit(IEnumerable<Receipt> receipts, SimTime windowEnd)
    {
        // Most windows bring one receipt: it needs no sort (the sort's iterator cost more than admitting it).
        if (receipts is IReadOnlyList<Receipt> { Count: 1 } one)
        {
            AdmitOne(one[0], windowEnd);
            return;
        }
        foreach (var r in receipts.OrderBy(r => r.At.Nanos).ThenBy(r => r.Gateway)) AdmitOne(r, windowEnd);
    }

    private void AdmitOne(in Receipt r, SimTime windowEnd)
    {
        if (_index.ContainsKey(r.Tx.Id)) return;
        var visible = SimTime.Max(r.At + RelayDelay, windowEnd);
        if (_entries.Count > 0 && visible < _entries[^1].VisibleAt)
            throw new InvalidOperationException($"{r.Tx.Id} received at {r.At}, before transactions already admitted");
        _index[r.Tx.Id] = _entries.Count;
        _entries.Add(new PoolEntry(r.Tx, r.Gateway, visible));
        _bytesBefore.Add(_bytesBefore[^1] + r.Tx.SizeBytes);
    }
}

/// <summary>A transaction in the pool: which gateway took it from its client, and when miners see it.</summary>
public readonly record struct PoolEntry(Transaction Tx, int Gateway, SimTime VisibleAt);

/// <summary>A gateway node received <paramref name="Tx"/> from its client at <paramref name="At"/>.</summary>
public readonly record struct Receipt(Transaction Tx, int Gateway, SimTime At);
