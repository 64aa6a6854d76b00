namespace Lab.Consensus.Pow.SimBlock;

// SimBlock's messages (simulator/src/main/java/simblock/task/), in the order a block travels:
// inv → block request (RecMessageTask) → block (BlockMessageTask) or compact block
// (CmpctBlockMessageTask) → on a failed compact block, GetBlockTxnMessageTask → the missing part
// (a BlockMessageTask of a fraction of the block's size). SimBlock gives no message a size except
// the block transfers; the sizes here (Bitcoin's wire sizes) only feed bytes_total.

/// <summary>"I have <paramref name="Block"/>" (<c>InvMessageTask</c>), sent to every neighbour after adopting it.</summary>
public sealed record Inv(PowBlock Block)
{
    /// <summary>Bitcoin's inv with one entry: 24-byte header, count, 36-byte inventory vector.</summary>
    public const int SizeBytes = 61;
}

/// <summary>"Send me <paramref name="Block"/>" (<c>RecMessageTask</c>, Bitcoin's getdata).</summary>
public sealed record BlockRequest(PowBlock Block)
{
    public const int SizeBytes = 61;
}

/// <summary>A block or the re-fetched part of one (<c>BlockMessageTask</c>); delivering it completes the download.</summary>
public sealed record SimBlockTransfer(PowBlock Block);

/// <summary>A compact block (<c>CmpctBlockMessageTask</c>): the receiver rebuilds the block or asks for what it lacks.</summary>
public sealed record CompactBlock(PowBlock Block);

/// <summary>"Send me the transactions I could not rebuild" (<c>GetBlockTxnMessageTask</c>).</summary>
public sealed record MissingTransactionsRequest(PowBlock Block)
{
    public const int SizeBytes = 61;
}
