using Lab.Ledger.Crypto;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// The committee's signing keys, one per replica id (a twin shares its replica's key). Modelled
/// (the default): each replica has a 64-bit secret and signatures are keyed digests, verified
/// without cryptography. Real: ECDSA P-256 keys derived from the run seed; every protocol message is
/// signed and verified for real (each a few tens of microseconds of wall time, so meant for small
/// committees). Either way the virtual CPU cost comes from <see cref="AuthenticationCosts"/>.
/// </summary>
public sealed class CommitteeKeys
{
    private readonly SigningKey[] _keys;

    private CommitteeKeys(SignatureMode mode, SigningKey[] keys)
    {
        Mode = mode;
        _keys = keys;
    }

    /// <summary>Modelled signatures for any committee size.</summary>
    public static CommitteeKeys Modelled { get; } = new(SignatureMode.Modelled, []);

    /// <summary>Real ECDSA keys for replicas 0..<paramref name="replicas"/>−1, derived from <paramref name="seed"/>.</summary>
    public static CommitteeKeys Real(ulong seed, int replicas) =>
        new(SignatureMode.Real, Enumerable.Range(0, replicas).Select(r => SigningKey.Derive(seed, "replica:" + r)).ToArray());

    public SignatureMode Mode { get; }

    /// <summary>Replica <paramref name="replica"/>'s real key (real mode only; null for an id outside the committee).</summary>
    internal SigningKey? KeyOf(int replica) => replica >= 0 && replica < _keys.Length ? _keys[replica] : null;

    /// <summary>Replica <paramref name="replica"/>'s modelled secret.</summary>
    internal static ulong SecretOf(int replica) => Mix(0x5DEECE66DUL ^ unchecked((ulong)replica * 0x9E3779B97F4A7C15UL));

    /// <summary>SplitMix64's finaliser: a cheap, well-spread 64-bit mixing function (wrapping arithmetic).</summary>
    internal static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
