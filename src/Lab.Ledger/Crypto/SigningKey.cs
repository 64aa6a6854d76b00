using System.Security.Cryptography;
using Lab.Sim.Randomness;

namespace Lab.Ledger.Crypto;

/// <summary>
/// An identity's ECDSA P-256 key pair, derived from the run seed and the identity's name so the same
/// seed gives the same keys (signatures themselves are randomised by ECDSA, but only their validity
/// ever reaches results). Holds parameters, not live key objects: each node builds its own
/// <see cref="ECDsa"/> instances, because they are not shared across threads.
/// </summary>
public sealed class SigningKey
{
    /// <summary>IEEE P1363 signature size for P-256: r and s, 32 bytes each.</summary>
    public const int SignatureBytes = 64;

    private readonly ECParameters _private;

    private SigningKey(ECParameters privateParameters)
    {
        _private = privateParameters;
        PublicParameters = new ECParameters { Curve = privateParameters.Curve, Q = privateParameters.Q };
    }

    public ECParameters PublicParameters { get; }

    /// <summary>Derives a key for <paramref name="identity"/>: the private scalar is drawn from a seeded stream.</summary>
    public static SigningKey Derive(ulong seed, string identity)
    {
        var rng = SimRandom.Stream(seed, "key:" + identity);
        for (int attempt = 0; ; attempt++)
        {
            var d = new byte[32];
            rng.NextBytes(d);
            d[0] &= 0x7F; // stays below the P-256 group order
            try
            {
                using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
                return new SigningKey(ecdsa.ExportParameters(includePrivateParameters: true));
            }
            catch (CryptographicException) when (attempt < 8)
            {
                // A zero scalar (probability 2^-255) is the only way to get here: draw again.
            }
        }
    }

    /// <summary>A fresh key object able to sign; the caller owns (and caches) it.</summary>
    public ECDsa CreateSigner() => ECDsa.Create(_private);

    /// <summary>A fresh key object able to verify only.</summary>
    public ECDsa CreateVerifier() => ECDsa.Create(PublicParameters);
}
