using System.Security.Cryptography;
using System.Text;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Time;

namespace Lab.Ledger.Tests;

public class MerkleTreeTests
{
    [Fact]
    public void Sha256_of_abc_matches_the_FIPS_180_test_vector()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hash.Of(Encoding.ASCII.GetBytes("abc")).ToString());
    }

    [Fact]
    public void Root_of_two_zero_leaves_is_the_sha256_of_64_zero_bytes()
    {
        // Known vector: SHA-256 of 64 zero bytes.
        Assert.Equal("f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b", MerkleTree.Root([Hash.Zero, Hash.Zero]).ToString());
    }

    [Fact]
    public void An_odd_last_leaf_is_paired_with_itself()
    {
        var a = Hash.Of("a"u8); var b = Hash.Of("b"u8); var c = Hash.Of("c"u8);
        static Hash H(Hash l, Hash r)
        {
            var buf = new byte[64];
            l.WriteTo(buf.AsSpan(0, 32)); r.WriteTo(buf.AsSpan(32));
            return Hash.FromBytes(SHA256.HashData(buf));
        }
        Assert.Equal(H(H(a, b), H(c, c)), MerkleTree.Root([a, b, c]));
        Assert.Equal(a, MerkleTree.Root([a]));
        Assert.Equal(Hash.Zero, MerkleTree.Root([]));
    }

    [Fact]
    public void Changing_one_transaction_changes_the_block_hash()
    {
        Transaction Tx(int i, string payload) => new(new TxId(i), "bank", payload, 100, SimTime.Zero);
        var b1 = new Block(1, Block.Genesis.Hash, [Tx(1, "x"), Tx(2, "y")], "n0");
        var b2 = new Block(1, Block.Genesis.Hash, [Tx(1, "x"), Tx(2, "z")], "n0");
        Assert.NotEqual(b1.MerkleRoot, b2.MerkleRoot);
        Assert.NotEqual(b1.Hash, b2.Hash);
        Assert.Equal(Block.HeaderBytes + 200, b1.SizeBytes);
    }
}
