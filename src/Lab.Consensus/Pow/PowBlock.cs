using System.Buffers.Binary;
using Lab.Ledger.Crypto;
using Lab.Sim.Time;

namespace Lab.Consensus.Pow;

/// <summary>
/// A block as every node sees it: immutable once mined, shared by reference between nodes (a
/// message carries the block; its bytes are charged through the network by <see cref="SizeBytes"/>).
/// Transactions are a contiguous range of the run's <see cref="TxPool"/>: each block takes the
/// oldest visible transactions its parent chain has not included, so a chain always holds a prefix
/// [0, <see cref="TxEnd"/>) of the pool and a reorganisation returns the difference to the mempool.
/// The header hash (<see cref="Hash"/>) is SHA-256 over the parent's hash, miner, time, difficulty
/// and transaction range; the proof of work itself is drawn, not computed.
/// </summary>
public sealed class PowBlock
{
    public PowBlock(long id, PowBlock? parent, int miner, SimTime minedAt, double difficulty, SimTime epochAnchor,
                    long txFrom, int txCount, int sizeBytes, long feesSat, int payment = 0, int doubleSpend = 0)
    {
        Id = id;
        Parent = parent;
        Height = parent is null ? 0 : parent.Height + 1;
        Miner = miner;
        MinedAt = minedAt;
        Difficulty = difficulty;
        ChainWork = (parent?.ChainWork ?? 0) + difficulty;
        EpochAnchor = epochAnchor;
        TxFrom = txFrom;
        TxCount = txCount;
        SizeBytes = sizeBytes;
        FeesSat = feesSat;
        Payment = payment;
        DoubleSpend = doubleSpend;
        Span<byte> header = stackalloc byte[32 + 7 * 8];
        (parent?.Hash ?? Hash.Zero).WriteTo(header);
        BinaryPrimitives.WriteInt64BigEndian(header[32..], id);
        BinaryPrimitives.WriteInt64BigEndian(header[40..], miner);
        BinaryPrimitives.WriteInt64BigEndian(header[48..], minedAt.Nanos);
        BinaryPrimitives.WriteDoubleBigEndian(header[56..], difficulty);
        BinaryPrimitives.WriteInt64BigEndian(header[64..], txFrom);
        BinaryPrimitives.WriteInt64BigEndian(header[72..], txCount);
        BinaryPrimitives.WriteInt64BigEndian(header[80..], doubleSpend);
        Hash = Hash.Of(header);
    }

    /// <summary>The genesis block every node starts from.</summary>
    public static PowBlock Genesis() => new(0, null, -1, SimTime.Zero, 1, SimTime.Zero, 0, 0, 80, 0);

    /// <summary>Unique per run: (miner + 1) × 2³² + miner-local sequence.</summary>
    public long Id { get; }
    public PowBlock? Parent { get; }
    /// <summary>SHA-256 of the header (parent hash, id, miner, time, difficulty, transaction range, double-spend tag).</summary>
    public Hash Hash { get; }
    public int Height { get; }
    /// <summary>Node index of the miner (−1 for genesis).</summary>
    public int Miner { get; }
    public SimTime MinedAt { get; }
    /// <summary>Expected work of this block, relative to the starting difficulty (1).</summary>
    public double Difficulty { get; }
    /// <summary>Sum of difficulties from genesis: fork choice picks the most of it.</summary>
    public double ChainWork { get; }
    /// <summary>Time of the last block before this block's difficulty epoch (for retargeting).</summary>
    public SimTime EpochAnchor { get; }
    public long TxFrom { get; }
    public int TxCount { get; }
    public long TxEnd => TxFrom + TxCount;
    public int SizeBytes { get; }
    public long FeesSat { get; }
    /// <summary>Double-spend attempt whose payment to the merchant this block confirms (0: none).</summary>
    public int Payment { get; }
    /// <summary>Double-spend attempt whose conflicting transaction this (attacker) block holds (0: none).</summary>
    public int DoubleSpend { get; }

    /// <summary>The ancestor at <paramref name="height"/> (this block if equal).</summary>
    public PowBlock AncestorAt(int height)
    {
        var b = this;
        while (b.Height > height) b = b.Parent!;
        return b;
    }

    /// <summary>The last block both chains share.</summary>
    public static PowBlock ForkPoint(PowBlock a, PowBlock b)
    {
        if (a.Height > b.Height) a = a.AncestorAt(b.Height);
        else if (b.Height > a.Height) b = b.AncestorAt(a.Height);
        while (!ReferenceEquals(a, b)) { a = a.Parent!; b = b.Parent!; }
        return a;
    }

    public bool Descends(PowBlock ancestor) =>
        Height >= ancestor.Height && ReferenceEquals(AncestorAt(ancestor.Height), ancestor);

    // Identity by id: never a process-dependent hash.
    public override int GetHashCode() => Id.GetHashCode();
    public override bool Equals(object? obj) => obj is PowBlock b && b.Id == Id;
    public override string ToString() => $"block {Id:x} h{Height} by #{Miner}";
}
