using System.Security.Cryptography;
using Lab.Ledger.Crypto;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// One replica instance's signing key and its verifiers of everyone else's signatures. No CPU is
/// charged here (the protocol and <see cref="BftOutbox"/> charge <see cref="AuthenticationCosts"/>);
/// with real keys the ECDSA work also really runs. Not thread-safe: one per node.
/// </summary>
public sealed class Authenticator(int replica, CommitteeKeys keys)
{
    private ECDsa? _signer;
    private readonly Dictionary<int, ECDsa> _verifiers = [];

    public int Replica => replica;
    public SignatureMode Mode => keys.Mode;

    /// <summary>Signs <paramref name="statement"/> as this replica.</summary>
    public Signature Sign(Statement statement) => SignWithOwnKey(statement);

    /// <summary>
    /// A Byzantine replica's forgery: a signature claiming <paramref name="claimed"/> as signer, made
    /// with this replica's own key (the only one it has), so it does not verify.
    /// </summary>
    public Signature ForgeAs(int claimed, Statement statement) => SignWithOwnKey(statement) with { Signer = claimed };

    /// <summary>True if <paramref name="sig"/> is <paramref name="statement"/> signed with the key of the
    /// replica it names, and that replica is in a committee of <paramref name="committeeSize"/>.</summary>
    public bool Verify(Signature sig, Statement statement, int committeeSize)
    {
        if (sig.Signer < 0 || sig.Signer >= committeeSize) return false;
        if (keys.Mode == SignatureMode.Modelled) return sig.Tag == Tag(sig.Signer, statement);
        if (sig.Ecdsa is not { Length: Signature.SizeBytes } bytes || keys.KeyOf(sig.Signer) is not { } key) return false;
        if (!_verifiers.TryGetValue(sig.Signer, out var verifier)) _verifiers[sig.Signer] = verifier = key.CreateVerifier();
        Span<byte> digest = stackalloc byte[32];
        statement.ToHash().WriteTo(digest);
        return verifier.VerifyHash(digest, bytes, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private Signature SignWithOwnKey(Statement statement)
    {
        if (keys.Mode == SignatureMode.Modelled) return new Signature(replica, Tag(replica, statement));
        _signer ??= (keys.KeyOf(replica) ?? throw new InvalidOperationException($"no key for replica {replica}")).CreateSigner();
        Span<byte> digest = stackalloc byte[32];
        statement.ToHash().WriteTo(digest);
        return new Signature(replica, 0, _signer.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    /// <summary>The modelled signature: the statement's fields folded into the signer's secret. Each fold is a
    /// bijection of the running value (so another key, or another value in any one field, always gives another tag),
    /// and one SplitMix finaliser spreads the result: a multiply per field, since every message received is verified.</summary>
    private static ulong Tag(int signer, Statement s)
    {
        unchecked
        {
            var h = CommitteeKeys.SecretOf(signer) ^ (ulong)s.Kind;
            h = (h ^ (ulong)s.View) * 0x9E3779B97F4A7C15UL;
            h = (h ^ (ulong)s.Seq) * 0xC2B2AE3D27D4EB4FUL;
            h = (h ^ s.Digest.A) * 0x165667B19E3779F9UL;
            h = (h ^ s.Digest.B) * 0x9E3779B97F4A7C15UL;
            h = (h ^ s.Digest.C) * 0xC2B2AE3D27D4EB4FUL;
            h = (h ^ s.Digest.D) * 0x165667B19E3779F9UL;
            return CommitteeKeys.Mix(h);
        }
    }
}
