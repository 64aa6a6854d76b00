using Lab.Ledger.Transactions;

namespace Lab.Consensus.HotStuff;

/// <summary>
/// Transactions waiting to be proposed, in arrival order: an append-only queue with lazy removal
/// (every replica adds every request and removes it on commit, so both must be O(1)).
/// </summary>
public sealed class Mempool
{
    private readonly List<Transaction> _queue = [];
    private readonly HashSet<TxId> _present = new();
    private int _head;

    public int Count => _present.Count;

    public bool Contains(TxId id) => _present.Contains(id);

    public bool Add(Transaction tx)
    {
        if (!_present.Add(tx.Id)) return false;
        _queue.Add(tx);
        return true;
    }

    public void Remove(TxId id)
    {
        if (!_present.Remove(id)) return;
        while (_head < _queue.Count && !_present.Contains(_queue[_head].Id)) _head++;
        if (_head > 1024 && _head > _queue.Count / 2)
        {
            _queue.RemoveRange(0, _head);
            _head = 0;
        }
    }

    /// <summary>Waiting transactions, oldest first.</summary>
    public IEnumerable<Transaction> InArrivalOrder()
    {
        for (int i = _head; i < _queue.Count; i++)
            if (_present.Contains(_queue[i].Id)) yield return _queue[i];
    }
}
