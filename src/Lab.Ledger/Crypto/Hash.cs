using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Lab.Ledger.Crypto;

/// <summary>A SHA-256 digest, held as four words so it is a cheap value to compare and copy.</summary>
public readonly record struct Hash(ulong A, ulong B, ulong C, ulong D)
{
    public static readonly Hash Zero = default;

    // One reusable SHA-256 context per thread: the one-shot SHA256.HashData allocates and frees a
    // platform context on every call, which costs more than hashing a transaction or a Merkle node.
    [ThreadStatic] private static IncrementalHash? t_sha256;

    public static Hash Of(ReadOnlySpan<byte> data)
    {
        var sha = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(data);
        Span<byte> d = stackalloc byte[32];
        sha.GetHashAndReset(d);
        return FromBytes(d);
    }

    /// <summary>SHA-256 of two hashes concatenated (a Merkle tree's inner node).</summary>
    public static Hash Combine(Hash left, Hash right)
    {
        Span<byte> buf = stackalloc byte[64];
        left.WriteTo(buf[..32]);
        right.WriteTo(buf[32..]);
        return Of(buf);
    }

    public static Hash FromBytes(ReadOnlySpan<byte> d) => new(
        BinaryPrimitives.ReadUInt64BigEndian(d), BinaryPrimitives.ReadUInt64BigEndian(d[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(d[16..]), BinaryPrimitives.ReadUInt64BigEndian(d[24..]));

    public void WriteTo(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt64BigEndian(d, A); BinaryPrimitives.WriteUInt64BigEndian(d[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(d[16..], C); BinaryPrimitives.WriteUInt64BigEndian(d[24..], D);
    }

    /// <summary>First 8 hex digits, as block explorers show them.</summary>
    public string Short => A.ToString("x16")[..8];
    public override string ToString() => $"{A:x16}{B:x16}{C:x16}{D:x16}";
}
