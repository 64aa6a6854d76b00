using Lab.Ledger.Transactions;

namespace Lab.Ledger.Batching;

/// <summary>
/// Pending transactions in arrival order, each at most once (by id). Blocks are cut from the front:
/// up to <see cref="BlockOptions.MaxTransactions"/> and <see cref="BlockOptions.MaxBytes"/>.
/// </summary>
public sealed class Mempool(BlockOptions options)
{
    private readonly Queue<Transaction> _queue = new();
    private readonly HashSet<TxId> _ids = [];

    public BlockOptions Options => options;
    public int Count => _queue.Count;
    public long Bytes { get; private set; }

    /// <summary>A full block's worth is waiting.</summary>
    public bool HasFullBlock => _queue.Count >= options.MaxTransactions || Bytes >= options.MaxBytes;

    public bool Contains(TxId id) => _ids.Contains(id);

    /// <summary>Adds a transaction; false if one with the same id is already pending.</summary>
    public bool Add(Transaction tx)
    {
        if (!_ids.Add(tx.Id)) return false;
        _queue.Enqueue(tx);
        Bytes += tx.SizeBytes;
        return true;
    }

    /// <summary>Takes the next block's transactions from the front (at least one if any are pending).</summary>
    public List<Transaction> Cut()
    {
        var batch = new List<Transaction>(Math.Min(_queue.Count, options.MaxTransactions));
        long bytes = 0;
        while (_queue.Count > 0 && batch.Count < options.MaxTransactions)
        {
            var next = _queue.Peek();
            if (batch.Count > 0 && bytes + next.SizeBytes > options.MaxBytes) break;
            _queue.Dequeue();
            _ids.Remove(next.Id);
            bytes += next.SizeBytes;
            batch.Add(next);
        }
        Bytes -= bytes;
        return batch;
    }

    /// <summary>Drops everything (e.g. a leader stepping down: clients retry elsewhere).</summary>
    public void Clear()
    {
        _queue.Clear();
        _ids.Clear();
        Bytes = 0;
    }
}
