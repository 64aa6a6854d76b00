using Lab.Consensus.Byzantine;
using Lab.Ledger.Crypto;

namespace Lab.Consensus.Tests.Byzantine;

public class AuthenticatorTests
{
    private static readonly Statement Prepare = new(StatementKind.PbftPrepare, 3, 17, Hash.Of([1]));

    public static TheoryData<string> Modes() => ["modelled", "real"];

    private static CommitteeKeys Keys(string mode) => mode == "real" ? CommitteeKeys.Real(42, 4) : CommitteeKeys.Modelled;

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_signature_verifies_for_its_statement_and_signer_only(string mode)
    {
        var keys = Keys(mode);
        var alice = new Authenticator(1, keys);
        var verifier = new Authenticator(2, keys);
        var sig = alice.Sign(Prepare);
        Assert.Equal(1, sig.Signer);
        Assert.True(verifier.Verify(sig, Prepare, 4));
        Assert.False(verifier.Verify(sig, Prepare with { Seq = 18 }, 4), "moved to another statement");
        Assert.False(verifier.Verify(sig, Prepare with { Kind = StatementKind.PbftCommit }, 4), "a prepare is no commit");
        Assert.False(verifier.Verify(sig with { Signer = 0 }, Prepare, 4), "claimed by another replica");
        Assert.False(verifier.Verify(alice.ForgeAs(3, Prepare), Prepare, 4), "forged in another's name");
        Assert.False(verifier.Verify(sig, Prepare, 1), "signer outside the committee");
    }

    [Fact]
    public void Real_signatures_are_64_byte_ECDSA_signatures()
    {
        var sig = new Authenticator(0, CommitteeKeys.Real(42, 4)).Sign(Prepare);
        Assert.Equal(Signature.SizeBytes, sig.Ecdsa!.Length);
        Assert.Equal(SignatureMode.Real, CommitteeKeys.Real(42, 4).Mode);
    }
}
