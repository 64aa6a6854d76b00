using System.Security.Cryptography;
using System.Text;

namespace Lab.Finance.Privacy;

/// <summary>
/// The parties' keys. Each party holds one 256-bit secret, derived here from the run's seed and its name so a run is
/// reproducible. Sealing for a recipient wraps the payload's content key under that recipient's key; in a deployed
/// system the sealer would use the recipient's public key (ECIES/SM2) and never see its secret — the model keeps one
/// symmetric key per party because what matters here is who can unwrap, not the key-agreement handshake.
/// </summary>
public sealed class Keyring
{
    private readonly ulong _seed;
    private readonly SortedDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public Keyring(ulong seed) => _seed = seed;

    /// <summary>The key of <paramref name="party"/> (derived once).</summary>
    public byte[] KeyOf(string party)
    {
        if (!_keys.TryGetValue(party, out var key))
            _keys[party] = key = SHA256.HashData(Encoding.UTF8.GetBytes($"lab.privacy.key|{_seed}|{party}"));
        return key;
    }

    /// <summary>What <paramref name="party"/> holds: its own key only.</summary>
    public PartyKey Of(string party) => new(party, KeyOf(party));
}

/// <summary>A party's own secret key: what it can try to open a sealed payload with.</summary>
public sealed record PartyKey(string Party, byte[] Key);
