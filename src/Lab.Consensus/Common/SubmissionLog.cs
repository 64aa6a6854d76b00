using Lab.Ledger.Transactions;
using Lab.Sim.Collections;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Common;

/// <summary>
/// Every transaction one node has ever submitted, indexed by its sequence number (dense from 0).
/// Kept in the node's durable store so sequences never repeat after a restart, and read by the
/// validity checker: a committed transaction must be one a client really submitted.
/// </summary>
public sealed class SubmissionLog
{
    private readonly ChunkedList<Transaction> _txs = new();   // grows with the run: chunks, no copying

    public const string StorageKey = "lab.submissions";

    public static SubmissionLog Of(INodeContext ctx) => ctx.Storage.GetOrAdd(StorageKey, () => new SubmissionLog());

    public int Count => _txs.Count;

    /// <summary>The id the next submitted transaction gets.</summary>
    public TxId NextId(NodeId self) => TxId.For(self, _txs.Count);

    /// <summary>Records <paramref name="tx"/>, whose id must be <see cref="NextId"/>.</summary>
    public void Record(Transaction tx)
    {
        if (tx.Id.Sequence != _txs.Count) throw new InvalidOperationException($"{tx.Id} is out of sequence (next is {_txs.Count})");
        _txs.Add(tx);
    }

    /// <summary>The submitted transaction with this sequence number, or null.</summary>
    public Transaction? Find(long sequence) => sequence >= 0 && sequence < _txs.Count ? _txs[(int)sequence] : null;
}
