namespace Lab.Consensus.Pow;

// Wire messages of the relay protocol, in the order a block travels: announce (headers, BIP 130
// style, the successor of inv) → request (getdata) → block or compact block (BIP 152).

/// <summary>"I have a new best chain ending at <paramref name="Tip"/>"; carries <paramref name="Headers"/> new headers.</summary>
public sealed record Announce(PowBlock Tip, int Headers)
{
    public int SizeBytes => 24 + 81 * Math.Max(1, Headers);
}

/// <summary>getdata for blocks the sender lacks, oldest first; compact asks for BIP 152 compact blocks.</summary>
public sealed record GetBlocks(IReadOnlyList<PowBlock> Blocks, bool Compact)
{
    public int SizeBytes => 24 + 37 * Blocks.Count;
}

/// <summary>A full block: its size is the block's size.</summary>
public sealed record BlockMessage(PowBlock Block);

/// <summary>A compact block: header, nonce and a 6-byte short id per transaction (BIP 152).</summary>
public sealed record CompactBlockMessage(PowBlock Block)
{
    public int SizeBytes(int headerBytes) => 24 + headerBytes + 8 + 6 * Block.TxCount;
}

/// <summary>The double-spender's payment to the merchant, broadcast so honest miners include it.</summary>
public sealed record PaymentNotice(int Attempt, int ForkHeight)
{
    public const int SizeBytes = 250;
}
