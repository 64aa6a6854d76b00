using Lab.Ledger.Blocks;

namespace Lab.Consensus.Solo;

/// <summary>The orderer hands a new block to a peer.</summary>
public sealed record DeliverBlock(Block Block);

/// <summary>The orderer's periodic "my chain is this high", so a peer that missed blocks notices.</summary>
public sealed record ChainHead(long Height)
{
    public const int SizeBytes = 24;
}

/// <summary>A peer asks the orderer for blocks from <paramref name="FromHeight"/> on.</summary>
public sealed record SyncRequest(long FromHeight)
{
    public const int SizeBytes = 24;
}
