using System.Security.Cryptography;
using System.Text;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Time;

namespace Lab.Ledger.Tests;

public class BlockTests
{
    private static Transaction Tx(int i, string payload, string submitter = "bank", int size = 100) => new(new TxId(i), submitter, payload, size, SimTime.Zero);

    [Fact]
    public void Sha256_of_abc_matches_the_FIPS_180_test_vector()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hash.Of(Encoding.ASCII.GetBytes("abc")).ToString());
    }

    [Fact]
    public void The_transactions_digest_is_an_xxhash_pair_over_their_fingerprints_in_order()
    {
        var txs = new[] { Tx(1, "x"), Tx(2, "y"), Tx(3, "z") };
        var buf = new byte[96];
        for (int i = 0; i < 3; i++) txs[i].Fingerprint.WriteTo(buf.AsSpan(32 * i));
        var block = new Block(1, Block.Genesis.Hash, txs, "n0");
        var a = System.IO.Hashing.XxHash128.HashToUInt128(buf, 0);
        var b = System.IO.Hashing.XxHash128.HashToUInt128(buf, 1);
        Assert.Equal(unchecked(new Hash((ulong)(a >> 64), (ulong)a, (ulong)(b >> 64), (ulong)b)), block.TxDigest);
        // The block hash is a real SHA-256 over height, parent and that digest.
        var header = new byte[72];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(header, 1);
        Block.Genesis.Hash.WriteTo(header.AsSpan(8));
        block.TxDigest.WriteTo(header.AsSpan(40));
        Assert.Equal(Hash.FromBytes(SHA256.HashData(header)), block.Hash);
        Assert.NotEqual(block.TxDigest, new Block(1, Block.Genesis.Hash, [txs[1], txs[0], txs[2]], "n0").TxDigest);
        Assert.Equal(Hash.Zero, new Block(1, Block.Genesis.Hash, [], "n0").TxDigest);
    }

    [Fact]
    public void Changing_one_transaction_changes_the_block_hash()
    {
        var b1 = new Block(1, Block.Genesis.Hash, [Tx(1, "x"), Tx(2, "y")], "n0");
        var b2 = new Block(1, Block.Genesis.Hash, [Tx(1, "x"), Tx(2, "z")], "n0");
        Assert.NotEqual(b1.TxDigest, b2.TxDigest);
        Assert.NotEqual(b1.Hash, b2.Hash);
        Assert.Equal(Block.HeaderBytes + 200, b1.SizeBytes);
    }

    [Fact]
    public void A_fingerprint_tells_apart_what_a_hash_would_and_is_stable_across_processes()
    {
        var a = Tx(7, "pay 10");
        Assert.True(a.SameContent(a));
        Assert.True(a.SameContent(Tx(7, "pay 10")));
        Assert.False(a.SameContent(Tx(7, "pay 11")));
        Assert.False(a.SameContent(Tx(8, "pay 10")));
        Assert.False(a.SameContent(Tx(7, "pay 10", submitter: "bank2")));
        Assert.False(a.SameContent(Tx(7, "pay 10", size: 101)));
        // The submitter/payload boundary is part of the content: "ab" + "c" differs from "a" + "bc".
        Assert.NotEqual(Tx(1, "c", submitter: "ab").Fingerprint, Tx(1, "bc", submitter: "a").Fingerprint);
        // XxHash128 with a fixed seed: the same value in every process (results must not depend on the run).
        Assert.Equal(a.Fingerprint, Tx(7, "pay 10").Fingerprint);
        Assert.Equal("0000000000000007" + "0000000000000064" + "55baebbe23180dc0e1b7e9afbf67692a", a.Fingerprint.ToString());
    }
}
