using System.Security.Cryptography;
using System.Text;
using Lab.Ledger.Crypto;

namespace Lab.Finance.Privacy;

/// <summary>The content key wrapped (AES-256-GCM) under one recipient's key.</summary>
public sealed record WrappedKey(string Recipient, byte[] Nonce, byte[] Ciphertext, byte[] Tag);

/// <summary>
/// A payload encrypted end to end for named recipients (envelope encryption): the content is encrypted once with a
/// fresh content key (AES-256-GCM), and that key is wrapped under each recipient's key. This is all a replica stores:
/// ciphertext, the recipients' names and wrapped keys, and <see cref="Digest"/> (SHA-256 of the ciphertext). A party
/// that is not a recipient finds no wrapped key for itself and sees only the digest; anyone who alters the ciphertext
/// changes the digest and breaks the GCM tag.
/// </summary>
public sealed record SealedPayload(byte[] Nonce, byte[] Ciphertext, byte[] Tag, IReadOnlyList<WrappedKey> Keys)
{
    /// <summary>Bytes of overhead per recipient (name, nonce, wrapped key, tag) beside the ciphertext.</summary>
    public int Size => Nonce.Length + Ciphertext.Length + Tag.Length + Keys.Sum(k => k.Recipient.Length + k.Nonce.Length + k.Ciphertext.Length + k.Tag.Length);

    public IEnumerable<string> Recipients => Keys.Select(k => k.Recipient);

    /// <summary>SHA-256 of nonce, ciphertext and tag: what a ledger anchors so a substituted or altered payload is found.</summary>
    public Hash Digest => Hash.Of([.. Nonce, .. Ciphertext, .. Tag]);

    /// <summary>
    /// Seals <paramref name="content"/> for <paramref name="recipients"/> (duplicates ignored, order kept sorted).
    /// <paramref name="entropy"/> seeds the content key and nonces (the caller derives it from the run's seed and the
    /// item, so a run is reproducible; a real sealer uses a CSPRNG).
    /// </summary>
    public static SealedPayload Seal(string content, IEnumerable<string> recipients, Keyring keys, string entropy)
    {
        var contentKey = Derive(entropy, "content-key", 32);
        var nonce = Derive(entropy, "nonce", 12);
        var (cipher, tag) = Encrypt(contentKey, nonce, Encoding.UTF8.GetBytes(content));
        var wrapped = new List<WrappedKey>();
        foreach (var r in recipients.Distinct().Order(StringComparer.Ordinal))
        {
            var n = Derive(entropy, "wrap|" + r, 12);
            var (c, t) = Encrypt(keys.KeyOf(r), n, contentKey);
            wrapped.Add(new WrappedKey(r, n, c, t));
        }
        return new SealedPayload(nonce, cipher, tag, wrapped);
    }

    /// <summary>The content, if <paramref name="key"/> is one of the recipients' keys and the payload is intact; otherwise null.</summary>
    public string? TryOpen(PartyKey key)
    {
        var w = Keys.FirstOrDefault(k => k.Recipient == key.Party);
        if (w is null) return null;
        var contentKey = Decrypt(key.Key, w.Nonce, w.Ciphertext, w.Tag);
        if (contentKey is null) return null;
        var plain = Decrypt(contentKey, Nonce, Ciphertext, Tag);
        return plain is null ? null : Encoding.UTF8.GetString(plain);
    }

    private static (byte[] Cipher, byte[] Tag) Encrypt(byte[] key, byte[] nonce, byte[] plain)
    {
        using var aes = new AesGcm(key, 16);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        aes.Encrypt(nonce, plain, cipher, tag);
        return (cipher, tag);
    }

    private static byte[]? Decrypt(byte[] key, byte[] nonce, byte[] cipher, byte[] tag)
    {
        using var aes = new AesGcm(key, 16);
        var plain = new byte[cipher.Length];
        try { aes.Decrypt(nonce, cipher, tag, plain); }
        catch (AuthenticationTagMismatchException) { return null; }
        return plain;
    }

    private static byte[] Derive(string entropy, string purpose, int bytes) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"lab.privacy|{entropy}|{purpose}"))[..bytes];

    public override string ToString() => $"SealedPayload {{ {Ciphertext.Length} B for {string.Join(",", Recipients)} }}";
}
