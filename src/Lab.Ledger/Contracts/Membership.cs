namespace Lab.Ledger.Contracts;

/// <summary>
/// Who belongs to the consortium and with which roles. A consortium rejects callers that are not
/// members (SCENARIOS.md "chain types"); a member with the <see cref="Regulator"/> role reads
/// everything and writes nothing, so every call it submits is rejected as unauthorised.
/// </summary>
public sealed class Membership
{
    public const string Regulator = "regulator";
    public const string Member = "member";

    private readonly SortedDictionary<string, SortedSet<string>> _roles = new(StringComparer.Ordinal);
    // The same sets by hash: every contract call asks two or three times (sorted lookups compare whole names).
    private readonly Dictionary<string, SortedSet<string>> _lookup = new(StringComparer.Ordinal);

    public Membership Add(string identity, params string[] roles)
    {
        if (!_roles.TryGetValue(identity, out var set)) _roles[identity] = _lookup[identity] = set = new SortedSet<string>(StringComparer.Ordinal);
        set.Add(Member);
        foreach (var r in roles) set.Add(r);
        return this;
    }

    public bool IsMember(string identity) => _lookup.ContainsKey(identity);
    public bool Has(string identity, string role) => _lookup.TryGetValue(identity, out var set) && set.Contains(role);
    public IEnumerable<string> Identities => _roles.Keys;
}
