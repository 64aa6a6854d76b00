namespace Lab.Ledger.Crypto;

/// <summary>
/// An inclusion proof: the position of a leaf among <see cref="Size"/> leaves and the sibling hashes on the way from
/// it to the root, lowest first (RFC 9162 §2.1.3 audit path).
/// </summary>
public sealed record MerkleProof(int Index, int Size, IReadOnlyList<Hash> Path)
{
    public override string ToString() => $"MerkleProof {{ leaf {Index} of {Size}, {Path.Count} hashes }}";
}

/// <summary>
/// The Merkle tree of RFC 9162 (Certificate Transparency): a leaf is hashed as SHA-256(0x00 ‖ leaf), an inner node as
/// SHA-256(0x01 ‖ left ‖ right), and n leaves split at the largest power of two below n. The prefixes keep a leaf from
/// passing for an inner node, and an odd last leaf is promoted rather than paired with itself, so no two different
/// leaf lists share a root (Bitcoin's duplicated last node lets [a, b, c] and [a, b, c, c] do so).
/// </summary>
public static class MerkleTree
{
    public static Hash LeafHash(Hash leaf)
    {
        Span<byte> b = stackalloc byte[33];
        b[0] = 0;
        leaf.WriteTo(b[1..]);
        return Hash.Of(b);
    }

    public static Hash NodeHash(Hash left, Hash right)
    {
        Span<byte> b = stackalloc byte[65];
        b[0] = 1;
        left.WriteTo(b[1..33]);
        right.WriteTo(b[33..]);
        return Hash.Of(b);
    }

    /// <summary>The root over <paramref name="leaves"/> in order; the hash of nothing for an empty list.</summary>
    public static Hash Root(IReadOnlyList<Hash> leaves) => leaves.Count == 0 ? Hash.Of([]) : Subtree(leaves, 0, leaves.Count);

    /// <summary>The proof that leaf <paramref name="index"/> is among <paramref name="leaves"/>.</summary>
    public static MerkleProof Prove(IReadOnlyList<Hash> leaves, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leaves.Count);
        var path = new List<Hash>();
        AddPath(leaves, 0, leaves.Count, index, path);
        return new MerkleProof(index, leaves.Count, path);
    }

    /// <summary>
    /// Whether <paramref name="proof"/> shows <paramref name="leaf"/> at its index in the tree of <paramref name="root"/>:
    /// all a verifier needs is the root (RFC 9162 §2.1.3.2).
    /// </summary>
    public static bool Verify(Hash root, Hash leaf, MerkleProof proof)
    {
        if (proof.Index < 0 || proof.Index >= proof.Size) return false;
        long fn = proof.Index, sn = proof.Size - 1;
        var r = LeafHash(leaf);
        foreach (var p in proof.Path)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else r = NodeHash(r, p);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r == root;
    }

    private static Hash Subtree(IReadOnlyList<Hash> leaves, int start, int n)
    {
        if (n == 1) return LeafHash(leaves[start]);
        var k = Split(n);
        return NodeHash(Subtree(leaves, start, k), Subtree(leaves, start + k, n - k));
    }

    private static void AddPath(IReadOnlyList<Hash> leaves, int start, int n, int m, List<Hash> path)
    {
        if (n == 1) return;
        var k = Split(n);
        if (m < k)
        {
            AddPath(leaves, start, k, m, path);
            path.Add(Subtree(leaves, start + k, n - k));
        }
        else
        {
            AddPath(leaves, start + k, n - k, m - k, path);
            path.Add(Subtree(leaves, start, k));
        }
    }

    /// <summary>The largest power of two below <paramref name="n"/> (n ≥ 2).</summary>
    private static int Split(int n) => 1 << System.Numerics.BitOperations.Log2((uint)(n - 1));
}
