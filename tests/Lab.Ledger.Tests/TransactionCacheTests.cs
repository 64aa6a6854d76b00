using Lab.Sim.Testing;
using Lab.Ledger.Crypto;
using Lab.Ledger.Identity;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Ledger.Tests;

/// <summary>A transaction keeps its signature and its cached hashes behind one reference: caching must never lose the
/// signature, and a changed copy must not inherit a cached hash.</summary>
public class TransactionCacheTests
{
    private static readonly Consortium Members = new([new Member("bank-a", Role.Client), new Member("n0", Role.Validator)], keySeed: 7);
    private static readonly TransactionSigning Real = new(SignatureMode.Real, CryptoCosts.ThisMachine, Members);

    private static Transaction Tx(object? payload) => new(TxId.For(new NodeId(1), 1), "bank-a", payload, 250, SimTime.Zero);

    [Fact]
    public void Caching_the_hashes_keeps_the_signature_and_the_signature_still_verifies()
    {
        var signed = Real.ForNode().Sign(new ManualNodeContext(), Tx("pay 10"));
        var signature = signed.Signature;
        Assert.NotNull(signature);
        var hash = signed.Hash;                  // cached
        var fingerprint = signed.Fingerprint;    // cached too (it has a payload)
        Assert.Same(signature, signed.Signature);
        Assert.Equal(hash, signed.Hash);
        Assert.Equal(fingerprint, signed.Fingerprint);
        Assert.True(Real.ForNode().Verify(new ManualNodeContext(), signed));
    }

    [Fact]
    public void A_changed_copy_gets_its_own_hashes_and_an_unsigned_one_has_no_signature()
    {
        var a = Tx("pay 10");
        var (hash, fingerprint) = (a.Hash, a.Fingerprint);
        var b = a with { Payload = "pay 11" };
        Assert.Null(b.Signature);
        Assert.NotEqual(hash, b.Hash);
        Assert.NotEqual(fingerprint, b.Fingerprint);
        Assert.Equal(Tx("pay 11").Hash, b.Hash);
        Assert.Equal(Tx("pay 11").Fingerprint, b.Fingerprint);
        // Without a payload nothing is cached, and the fingerprint is the same every time.
        var plain = Tx(null);
        Assert.Equal(plain.Fingerprint, plain.Fingerprint);
        Assert.Equal(Tx(null).Fingerprint, plain.Fingerprint);
        Assert.NotEqual(plain.Fingerprint, Tx("x").Fingerprint);
    }
}
