using System.Buffers.Binary;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;

namespace Lab.Ledger.Blocks;

/// <summary>
/// A block: height, link to its parent, and a digest of its transactions. The block hash is a real SHA-256
/// over the header; the transactions' digest is a 256-bit XxHash128 pair over their fingerprints in order:
/// not a Merkle tree (no inclusion proofs are modelled) and not cryptographic, because the simulation
/// charges hashing as virtual CPU time (<c>Costs.Hash</c>) and needs the digest only to tell blocks apart.
/// </summary>
public sealed record Block
{
    public const int HeaderBytes = 80;

    public Block(long height, Hash previous, IReadOnlyList<Transaction> transactions, string proposer)
    {
        Height = height;
        Previous = previous;
        Transactions = transactions;
        Proposer = proposer;
        TxDigest = DigestOf(transactions);
        Span<byte> header = stackalloc byte[8 + 32 + 32];
        BinaryPrimitives.WriteInt64BigEndian(header, height);
        previous.WriteTo(header[8..]);
        TxDigest.WriteTo(header[40..]);
        Hash = Hash.Of(header);
        var size = HeaderBytes;
        for (int i = 0; i < transactions.Count; i++) size += transactions[i].SizeBytes;
        SizeBytes = size;
    }

    public long Height { get; }
    public Hash Previous { get; }
    /// <summary>XxHash128 with seeds 0 and 1 over the transactions' fingerprints, in block order (zero for an empty block).</summary>
    public Hash TxDigest { get; }
    public Hash Hash { get; }
    public IReadOnlyList<Transaction> Transactions { get; }
    public string Proposer { get; }

    /// <summary>Bytes on the wire: header plus transactions.</summary>
    public int SizeBytes { get; }

    private static Hash DigestOf(IReadOnlyList<Transaction> transactions)
    {
        if (transactions.Count == 0) return Hash.Zero;
        var bytes = 32 * transactions.Count;
        var rented = bytes <= 4096 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(bytes);
        Span<byte> buf = rented is null ? stackalloc byte[bytes] : rented.AsSpan(0, bytes);
        for (int i = 0; i < transactions.Count; i++) transactions[i].Fingerprint.WriteTo(buf[(32 * i)..]);
        var a = System.IO.Hashing.XxHash128.HashToUInt128(buf, 0);
        var b = System.IO.Hashing.XxHash128.HashToUInt128(buf, 1);
        var digest = unchecked(new Hash((ulong)(a >> 64), (ulong)a, (ulong)(b >> 64), (ulong)b));
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        return digest;
    }

    public static readonly Block Genesis = new(0, Hash.Zero, [], "genesis");
}
