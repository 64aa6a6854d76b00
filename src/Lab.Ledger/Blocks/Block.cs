using System.Buffers.Binary;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;

namespace Lab.Ledger.Blocks;

/// <summary>A block: height, link to its parent, Merkle root of its transactions.</summary>
public sealed record Block
{
    public const int HeaderBytes = 80;

    public Block(long height, Hash previous, IReadOnlyList<Transaction> transactions, string proposer)
    {
        Height = height;
        Previous = previous;
        Transactions = transactions;
        Proposer = proposer;
        MerkleRoot = MerkleTree.Root(transactions.Select(t => t.Hash).ToList());
        Span<byte> header = stackalloc byte[8 + 32 + 32];
        BinaryPrimitives.WriteInt64BigEndian(header, height);
        previous.WriteTo(header[8..]);
        MerkleRoot.WriteTo(header[40..]);
        Hash = Hash.Of(header);
        SizeBytes = HeaderBytes + transactions.Sum(t => t.SizeBytes);
    }

    public long Height { get; }
    public Hash Previous { get; }
    public Hash MerkleRoot { get; }
    public Hash Hash { get; }
    public IReadOnlyList<Transaction> Transactions { get; }
    public string Proposer { get; }

    /// <summary>Bytes on the wire: header plus transactions.</summary>
    public int SizeBytes { get; }

    public static readonly Block Genesis = new(0, Hash.Zero, [], "genesis");
}
