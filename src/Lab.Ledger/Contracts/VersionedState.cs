using System.Runtime.InteropServices;

namespace Lab.Ledger.Contracts;

/// <summary>
/// The contracts' key-value state on one replica. Every committed write bumps the key's version
/// and records the height that wrote it, so a reader can tell which block a value came from.
/// Keys are ordinal strings; values are immutable objects (numbers, strings, records).
/// </summary>
public sealed class VersionedState
{
    private readonly Dictionary<string, VersionedValue> _values = new(StringComparer.Ordinal);
    // Balances and supplies apart: a few hundred keys read and written by nearly every call and block, which stay in the
    // CPU's cache in a table of their own rather than among one key per settled trade (50,000 in the teaching demo).
    // Which table holds a key is decided by its name alone, so the state is the same set of keys either way.
    private readonly Dictionary<string, VersionedValue> _balances = new(StringComparer.Ordinal);

    private Dictionary<string, VersionedValue> TableOf(string key) =>
        key.StartsWith(ContractRuntime.BalancePrefix, StringComparison.Ordinal) || key.StartsWith(ContractRuntime.SupplyPrefix, StringComparison.Ordinal)
            ? _balances : _values;

    public int Count => _values.Count + _balances.Count;

    public bool TryGet(string key, out VersionedValue value) => TableOf(key).TryGetValue(key, out value);

    public object? Get(string key) => TableOf(key).TryGetValue(key, out var v) ? v.Value : null;

    /// <summary><see cref="Get"/> of a key known to be a balance (<see cref="Account.Key"/>) or a supply: straight to their table.</summary>
    internal object? GetBalance(string key) => _balances.TryGetValue(key, out var v) ? v.Value : null;

    public long VersionOf(string key) => TableOf(key).TryGetValue(key, out var v) ? v.Version : 0;

    /// <summary>Writes <paramref name="value"/> as the key's next version; returns the value it replaces (null if none).</summary>
    internal object? Write(string key, object? value, long height)
    {
        // One hash lookup for the read of the old version and the write (every committed key of every call comes here).
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(TableOf(key), key, out var existed);
        var old = existed ? slot.Value : null;
        slot = new VersionedValue(value, existed ? slot.Version + 1 : 1, height);
        return old;
    }

    /// <summary>
    /// Whether both states hold the same keys with the same versions and the same values as text: exactly what
    /// equal <see cref="ContractRuntime.Digest"/>s stand for, checked in one linear pass without sorting or hashing
    /// the whole state (the digest builds a text of every key; comparing 7 replicas' states that way dominated the audit).
    /// </summary>
    public bool SameAs(VersionedState other)
    {
        if (ReferenceEquals(this, other)) return true;
        return Same(_values, other._values) && Same(_balances, other._balances);
    }

    private static bool Same(Dictionary<string, VersionedValue> mine, Dictionary<string, VersionedValue> theirs)
    {
        if (mine.Count != theirs.Count) return false;
        // Replicas that applied the same blocks inserted the same keys in the same order, so both tables list them alike:
        // walked side by side, equal pairs all the way prove the same state without a lookup per key. Any difference
        // (another order of the same keys is possible) leaves the answer to the lookups below.
        if (SameInStep(mine, theirs)) return true;
        foreach (var (key, v) in mine) // the answer is one boolean: the order of the walk cannot matter
            if (!theirs.TryGetValue(key, out var o) || o.Version != v.Version || !SameText(v.Value, o.Value)) return false;
        return true;
    }

    private static bool SameInStep(Dictionary<string, VersionedValue> mine, Dictionary<string, VersionedValue> theirs)
    {
        using var other = theirs.GetEnumerator();
        foreach (var (key, v) in mine)
        {
            if (!other.MoveNext()) return false;
            var (otherKey, o) = other.Current;
            if (!string.Equals(key, otherKey, StringComparison.Ordinal) || o.Version != v.Version || !SameText(v.Value, o.Value)) return false;
        }
        return true;   // as many pairs on both sides (the counts are equal), each key once: the same keys, versions and values
    }

    // The digest writes a value as its text: two values count as the same when their texts are (numbers and strings without formatting them).
    private static bool SameText(object? a, object? b) => (a, b) switch
    {
        _ when ReferenceEquals(a, b) => true,
        (long x, long y) => x == y,
        (int x, int y) => x == y,
        (string x, string y) => x == y,
        _ => (a?.ToString() ?? "") == (b?.ToString() ?? ""),
    };

    /// <summary>Every key and value in ordinal key order (for digests, audits and the regulator).</summary>
    public IEnumerable<KeyValuePair<string, VersionedValue>> Ordered()
    {
        // Keys are unique, so an unstable in-place sort gives the one ordinal order (faster than a LINQ OrderBy on 50,000 trades' keys).
        var pairs = new KeyValuePair<string, VersionedValue>[Count];
        ((ICollection<KeyValuePair<string, VersionedValue>>)_values).CopyTo(pairs, 0);
        ((ICollection<KeyValuePair<string, VersionedValue>>)_balances).CopyTo(pairs, _values.Count);
        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var kv in pairs) yield return kv;
    }
}

/// <summary>A value with its version (1 = first write) and the height of the block that wrote it.</summary>
public readonly record struct VersionedValue(object? Value, long Version, long Height);
