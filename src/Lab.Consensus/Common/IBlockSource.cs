using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;

namespace Lab.Consensus.Common;

/// <summary>A replica that can show the blocks it holds, so checkers can look inside committed blocks.</summary>
public interface IBlockSource : IReplica
{
    /// <summary>The block this replica holds at <paramref name="height"/> (1-based), or null.</summary>
    Block? BlockAt(long height);

    /// <summary>The hash its <see cref="CommitLog"/> records for the block it holds at <paramref name="height"/>, or
    /// null. Default: the block's own hash; a protocol that commits a wrapper (HotStuff's tree node) returns its id.</summary>
    Hash? CommittedIdAt(long height) => BlockAt(height)?.Hash;
}
