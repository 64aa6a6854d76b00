using Lab.Ledger.Blocks;

namespace Lab.Consensus.Common;

/// <summary>A replica that can show the blocks it holds, so checkers can look inside committed blocks.</summary>
public interface IBlockSource : IReplica
{
    /// <summary>The block this replica holds at <paramref name="height"/> (1-based), or null.</summary>
    Block? BlockAt(long height);
}
