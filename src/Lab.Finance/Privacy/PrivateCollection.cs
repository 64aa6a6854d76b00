namespace Lab.Finance.Privacy;

/// <summary>
/// A private data collection (Hyperledger Fabric's term): a named set of members entitled to some data. What is put in
/// it is sealed for the members (plus any always-entitled reader, e.g. a regulator), so every replica stores the same
/// ciphertext and digest, and only members' keys open it — members read the data, everyone else holds its hash.
/// (Fabric keeps the plaintext off the non-members' peers altogether; sealing gives the same who-reads-what with one
/// replicated state, at the cost of storing ciphertext everywhere.)
/// </summary>
public sealed record PrivateCollection(string Name, IReadOnlyList<string> Members)
{
    public SealedPayload Seal(string content, Keyring keys, string entropy, params string[] alsoEntitled) =>
        SealedPayload.Seal(content, Members.Concat(alsoEntitled), keys, Name + "|" + entropy);
}

/// <summary>One read attempt on stored state, as the party holding a key makes it.</summary>
public static class Reading
{
    /// <summary>Nothing when the party's state has no such item; hash only for a sealed payload it cannot open;
    /// read for one it opens, or for a plain (public) value.</summary>
    public static ReadLevel Attempt(object? stored, PartyKey key) => stored switch
    {
        null => ReadLevel.Nothing,
        SealedPayload s => s.TryOpen(key) is null ? ReadLevel.HashOnly : ReadLevel.Read,
        _ => ReadLevel.Read,
    };
}
