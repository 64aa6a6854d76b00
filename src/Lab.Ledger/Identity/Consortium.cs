using Lab.Ledger.Crypto;

namespace Lab.Ledger.Identity;

/// <summary>
/// The permissioned membership of a chain: who may take part and in which role, and each member's
/// key. Immutable once built, so every node may read it. A node or client not listed here is
/// refused: its messages are dropped and counted (<c>rejected_messages</c>), see <see cref="MembershipGate"/>.
/// </summary>
public sealed class Consortium
{
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SigningKey> _keys = new(StringComparer.Ordinal);
    private readonly Lock _keyLock = new();
    private readonly ulong _keySeed;

    public Consortium(IEnumerable<Member> members, ulong keySeed = 0)
    {
        foreach (var m in members)
            if (!_members.TryAdd(m.Name, m)) throw new ArgumentException($"'{m.Name}' is listed twice in the consortium");
        _keySeed = keySeed;
    }

    /// <summary>Members in name order.</summary>
    public IReadOnlyList<Member> Members => [.. _members.Values.OrderBy(m => m.Name, StringComparer.Ordinal)];

    public bool IsMember(string name) => _members.ContainsKey(name);
    public Role? RoleOf(string name) => _members.TryGetValue(name, out var m) ? m.Role : null;

    /// <summary>Validators and clients may write; a regulator is read-only.</summary>
    public bool MaySubmit(string name) => RoleOf(name) is Role.Validator or Role.Client;
    public bool MayValidate(string name) => RoleOf(name) is Role.Validator;

    /// <summary>The member's key pair (derived from the key seed on first use).</summary>
    public SigningKey KeyOf(string name)
    {
        if (!_members.ContainsKey(name)) throw new KeyNotFoundException($"'{name}' is not a consortium member");
        lock (_keyLock)
        {
            if (!_keys.TryGetValue(name, out var key)) _keys[name] = key = SigningKey.Derive(_keySeed, name);
            return key;
        }
    }
}
