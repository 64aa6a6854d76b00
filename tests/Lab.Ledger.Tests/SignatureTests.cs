using Lab.Sim.Testing;
using Lab.Ledger.Crypto;
using Lab.Ledger.Identity;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Ledger.Tests;

public class SignatureTests
{
    private static readonly Consortium Members = new([new Member("bank-a", Role.Client), new Member("bank-b", Role.Client), new Member("n0", Role.Validator)], keySeed: 7);
    private static readonly TransactionSigning Real = new(SignatureMode.Real, CryptoCosts.ThisMachine, Members);

    private static Transaction Tx(string submitter, string payload = "pay 10") =>
        new(TxId.For(new NodeId(1), 1), submitter, payload, 250, SimTime.Zero);

    [Fact]
    public void A_real_signature_verifies_at_another_node()
    {
        var signed = Real.ForNode().Sign(new ManualNodeContext(), Tx("bank-a"));
        Assert.Equal(SigningKey.SignatureBytes, signed.Signature!.Length);
        Assert.True(Real.ForNode().Verify(new ManualNodeContext(), signed));
    }

    [Fact]
    public void A_tampered_payload_is_rejected()
    {
        var signed = Real.ForNode().Sign(new ManualNodeContext(), Tx("bank-a"));
        var tampered = signed with { Payload = "pay 1000" };
        Assert.False(Real.ForNode().Verify(new ManualNodeContext(), tampered));
    }

    [Fact]
    public void A_signature_by_another_member_is_rejected()
    {
        var byB = Real.ForNode().Sign(new ManualNodeContext(), Tx("bank-b"));
        var claimsA = byB with { Submitter = "bank-a" };
        Assert.False(Real.ForNode().Verify(new ManualNodeContext(), claimsA));
        Assert.False(Real.ForNode().Verify(new ManualNodeContext(), Tx("bank-a")), "unsigned");
        Assert.False(Real.ForNode().Verify(new ManualNodeContext(), Tx("mallory") with { Signature = byB.Signature }), "non-member");
    }

    [Fact]
    public void Keys_are_derived_from_the_seed()
    {
        var k1 = SigningKey.Derive(7, "bank-a").PublicParameters.Q.X!;
        var k2 = SigningKey.Derive(7, "bank-a").PublicParameters.Q.X!;
        var k3 = SigningKey.Derive(8, "bank-a").PublicParameters.Q.X!;
        Assert.Equal(k1, k2);
        Assert.NotEqual(k1, k3);
    }

    [Fact]
    public void Modelled_signatures_only_charge_cpu()
    {
        var ctx = new ManualNodeContext();
        var session = TransactionSigning.Default.ForNode();
        var tx = session.Sign(ctx, Tx("bank-a"));
        Assert.Null(tx.Signature);
        Assert.True(session.Verify(ctx, tx));
        Assert.Equal(CryptoCosts.ThisMachine.Sign + CryptoCosts.ThisMachine.Verify, ctx.Cpu);
    }
}
