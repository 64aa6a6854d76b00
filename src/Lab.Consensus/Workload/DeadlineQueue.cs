using Lab.Ledger.Transactions;

namespace Lab.Consensus.Workload;

/// <summary>
/// Retry deadlines in (deadline, order) order. Most deadlines are "now + the same retry timeout", so
/// they arrive already sorted: those go to a FIFO queue (O(1)); the rest (backed-off timeouts,
/// redirect back-offs earlier than the queue's tail) to a binary heap. The head is the smaller of the
/// two heads, so the order is exactly the heap's alone.
/// </summary>
public sealed class DeadlineQueue
{
    private readonly Queue<(TxId Tx, long Deadline, long Order)> _sorted = new();
    private readonly PriorityQueue<TxId, (long Deadline, long Order)> _heap = new();
    private long _tailDeadline = long.MinValue;

    public int Count => _sorted.Count + _heap.Count;

    public void Enqueue(TxId tx, long deadline, long order)
    {
        // Orders only grow, so a deadline not below the tail's keeps the FIFO queue sorted.
        if (deadline >= _tailDeadline)
        {
            _sorted.Enqueue((tx, deadline, order));
            _tailDeadline = deadline;
        }
        else _heap.Enqueue(tx, (deadline, order));
    }

    public bool TryPeek(out TxId tx, out long deadline)
    {
        var fromSorted = _sorted.TryPeek(out var s);
        var fromHeap = _heap.TryPeek(out var h, out var key);
        if (fromSorted && (!fromHeap || (s.Deadline, s.Order).CompareTo(key) < 0)) { (tx, deadline) = (s.Tx, s.Deadline); return true; }
        if (fromHeap) { (tx, deadline) = (h, key.Deadline); return true; }
        (tx, deadline) = (default, 0);
        return false;
    }

    /// <summary>Removes the head (call after <see cref="TryPeek"/> returned true).</summary>
    public void Dequeue()
    {
        var fromSorted = _sorted.TryPeek(out var s);
        var fromHeap = _heap.TryPeek(out _, out var key);
        if (fromSorted && (!fromHeap || (s.Deadline, s.Order).CompareTo(key) < 0))
        {
            _sorted.Dequeue();
            if (_sorted.Count == 0) _tailDeadline = long.MinValue;
        }
        else _heap.Dequeue();
    }
}
