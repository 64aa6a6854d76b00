using System.Security.Cryptography;
using Lab.Ledger.Identity;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Ledger.Crypto;

/// <summary>
/// How a run signs and verifies transactions: the mode, the CPU costs and (for real signatures) the
/// consortium that holds the keys. Immutable and shared; each node opens its own
/// <see cref="ForNode"/> session, which caches that node's key objects.
/// </summary>
public sealed record TransactionSigning(SignatureMode Mode, CryptoCosts Costs, Consortium? Members = null)
{
    /// <summary>Modelled signatures with this machine's costs.</summary>
    public static readonly TransactionSigning Default = new(SignatureMode.Modelled, CryptoCosts.ThisMachine);

    /// <summary>No signatures and no cost: exact-latency protocol tests.</summary>
    public static readonly TransactionSigning Free = new(SignatureMode.Modelled, CryptoCosts.Free);

    public NodeSigning ForNode() => new(this);
}

/// <summary>One node's signing session: signs as its identity, verifies anyone's.</summary>
public sealed class NodeSigning(TransactionSigning scheme)
{
    private readonly Dictionary<string, ECDsa> _verifiers = new(StringComparer.Ordinal);
    private ECDsa? _signer;

    public TransactionSigning Scheme => scheme;

    /// <summary>Signs <paramref name="tx"/> as its submitter, charging the sign cost.</summary>
    public Transaction Sign(INodeContext ctx, Transaction tx)
    {
        if (scheme.Costs.Sign.Nanos > 0) ctx.ChargeCpu(scheme.Costs.Sign);
        if (scheme.Mode != SignatureMode.Real) return tx;
        var members = scheme.Members ?? throw new InvalidOperationException("real signatures need a consortium (the key registry)");
        _signer ??= members.KeyOf(tx.Submitter).CreateSigner();
        Span<byte> digest = stackalloc byte[32];
        tx.Hash.WriteTo(digest);
        return tx with { Signature = _signer.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation) };
    }

    /// <summary>Verifies <paramref name="tx"/>'s signature against its submitter's key, charging the verify cost.
    /// Modelled: always valid. Real: false if unsigned, forged, or the submitter is no member.</summary>
    public bool Verify(INodeContext ctx, Transaction tx)
    {
        if (scheme.Costs.Verify.Nanos > 0) ctx.ChargeCpu(scheme.Costs.Verify);
        if (scheme.Mode != SignatureMode.Real) return true;
        if (tx.Signature is not { Length: SigningKey.SignatureBytes } sig) return false;
        var members = scheme.Members;
        if (members is null || !members.IsMember(tx.Submitter)) return false;
        if (!_verifiers.TryGetValue(tx.Submitter, out var key))
            _verifiers[tx.Submitter] = key = members.KeyOf(tx.Submitter).CreateVerifier();
        Span<byte> digest = stackalloc byte[32];
        tx.Hash.WriteTo(digest);
        return key.VerifyHash(digest, sig, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
