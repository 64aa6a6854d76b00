using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;

namespace Lab.Consensus.Common;

/// <summary>A replica that can show the blocks it holds, so checkers can look inside committed blocks.</summary>
public interface IBlockSource : IReplica
{
    /// <summary>The block this replica holds at <paramref name="height"/> (1-based), or null.</summary>
    Block? BlockAt(long height);

    /// <summary>The hash its <see cref="CommitLog"/> records for the block it holds at <paramref name="height"/>, or
    /// null. Default: the block's own hash; a protocol that commits a wrapper (HotStuff's tree node) returns its id.</summary>
    Hash? CommittedIdAt(long height) => BlockAt(height)?.Hash;

    /// <summary>
    /// Whether this replica delivered (executed and answered) <paramref name="tx"/> at <paramref name="height"/>.
    /// Default: every transaction of a committed block. PBFT and HotStuff may order a request again after a view
    /// change (a client's retransmission reached a primary that had not executed the first copy yet); replicas skip
    /// such a copy at execution (Castro-Liskov §4.1: at most once), so it is committed but not delivered.
    /// </summary>
    bool Delivered(Transaction tx, long height) => true;
}
