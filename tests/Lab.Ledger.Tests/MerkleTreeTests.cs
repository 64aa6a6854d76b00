using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Ledger.Crypto;

namespace Lab.Ledger.Tests;

/// <summary>The RFC 9162 Merkle tree: known vectors, proofs for every leaf of trees of 1..33 leaves, and that any
/// flipped bit in the leaf, the proof or the root makes verification fail.</summary>
public class MerkleTreeTests
{
    private static Hash H(byte[] data) => Hash.FromBytes(SHA256.HashData(data));
    private static List<Hash> Leaves(int n) => [.. Enumerable.Range(0, n).Select(i => Hash.Of(BitConverter.GetBytes(i)))];
    private static Hash Flip(Hash h, int bit) => (bit & 255) switch
    {
        < 64 and var b => h with { A = h.A ^ (1UL << b) },
        < 128 and var b => h with { B = h.B ^ (1UL << (b - 64)) },
        < 192 and var b => h with { C = h.C ^ (1UL << (b - 128)) },
        var b => h with { D = h.D ^ (1UL << (b - 192)) },
    };

    private static byte[] Bytes(Hash h) { var b = new byte[32]; h.WriteTo(b); return b; }

    [Fact]
    public void Leaves_and_nodes_are_hashed_with_the_RFC_9162_prefixes_and_an_odd_leaf_is_promoted()
    {
        var (a, b, c) = (Hash.Of("a"u8), Hash.Of("b"u8), Hash.Of("c"u8));
        Hash Leaf(Hash x) => H([0, .. Bytes(x)]);
        Hash Node(Hash l, Hash r) => H([1, .. Bytes(l), .. Bytes(r)]);
        Assert.Equal(Leaf(a), MerkleTree.Root([a]));
        Assert.Equal(Node(Leaf(a), Leaf(b)), MerkleTree.Root([a, b]));
        Assert.Equal(Node(Node(Leaf(a), Leaf(b)), Leaf(c)), MerkleTree.Root([a, b, c]));
        // SHA-256 of the empty string (FIPS 180 vector) for no leaves.
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", MerkleTree.Root([]).ToString());
        // Unlike a tree that pairs the odd leaf with itself, [a, b, c] and [a, b, c, c] differ.
        Assert.NotEqual(MerkleTree.Root([a, b, c]), MerkleTree.Root([a, b, c, c]));
    }

    [Fact]
    public void The_proof_of_the_third_of_five_leaves_is_its_sibling_then_the_pair_then_the_fifth()
    {
        var l = Leaves(5);
        var p = MerkleTree.Prove(l, 2);
        Assert.Equal(2, p.Index);
        Assert.Equal(5, p.Size);
        Assert.Equal([MerkleTree.LeafHash(l[3]), MerkleTree.NodeHash(MerkleTree.LeafHash(l[0]), MerkleTree.LeafHash(l[1])), MerkleTree.LeafHash(l[4])], p.Path);
        Assert.True(MerkleTree.Verify(MerkleTree.Root(l), l[2], p));
    }

    [Fact]
    public void Every_leaf_of_trees_of_1_to_33_leaves_has_a_proof_that_verifies_and_fails_for_another_leaf_a_flipped_root_or_path_hash()
    {
        for (int n = 1; n <= 33; n++)
        {
            var leaves = Leaves(n);
            var root = MerkleTree.Root(leaves);
            for (int i = 0; i < n; i++)
            {
                var p = MerkleTree.Prove(leaves, i);
                Assert.True(MerkleTree.Verify(root, leaves[i], p), $"leaf {i} of {n}");
                var depth = (int)Math.Ceiling(Math.Log2(n));
                if ((n & (n - 1)) == 0) Assert.Equal(depth, p.Path.Count);   // a full tree: one sibling per level
                else Assert.InRange(p.Path.Count, 1, depth);                 // the last leaves are promoted over some levels
                Assert.False(MerkleTree.Verify(root, Flip(leaves[i], 7), p));
                Assert.False(MerkleTree.Verify(Flip(root, 200), leaves[i], p));
                for (int k = 0; k < p.Path.Count; k++)
                {
                    var path = p.Path.ToArray();
                    path[k] = Flip(path[k], 100);
                    Assert.False(MerkleTree.Verify(root, leaves[i], p with { Path = path }));
                }
                if (n > 1) Assert.False(MerkleTree.Verify(root, leaves[(i + 1) % n], p), $"another leaf at {i} of {n}");
                Assert.False(MerkleTree.Verify(root, leaves[i], p with { Index = n }));
            }
        }
    }

    [Property(MaxTest = 200)]
    public Property A_proof_verifies_and_one_flipped_bit_anywhere_breaks_it()
    {
        var gen =
            from n in Gen.Choose(1, 200)
            from i in Gen.Choose(0, n - 1)
            from part in Gen.Choose(0, 2)
            from k in Gen.Choose(0, 63)
            from bit in Gen.Choose(0, 255)
            select (n, i, part, k, bit);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (n, i, part, k, bit) = t;
            var leaves = Leaves(n);
            var root = MerkleTree.Root(leaves);
            var p = MerkleTree.Prove(leaves, i);
            if (!MerkleTree.Verify(root, leaves[i], p)) return false;
            if (part == 2 && p.Path.Count == 0) part = 0;
            return part switch
            {
                0 => !MerkleTree.Verify(root, Flip(leaves[i], bit), p),
                1 => !MerkleTree.Verify(Flip(root, bit), leaves[i], p),
                _ => !MerkleTree.Verify(root, leaves[i], p with { Path = [.. p.Path.Select((h, j) => j == k % p.Path.Count ? Flip(h, bit) : h)] }),
            };
        });
    }
}
