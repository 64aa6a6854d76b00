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
    // Their numbers are held inline (BalanceEntry): a DvP writes four balances, on every replica, and reading one
    // back through a boxed number cost a cache miss on an object written long ago.
    private readonly Dictionary<string, BalanceEntry> _balances = new(StringComparer.Ordinal);

    private static bool InBalanceTable(string key) =>
        key.StartsWith(ContractRuntime.BalancePrefix, StringComparison.Ordinal) || key.StartsWith(ContractRuntime.SupplyPrefix, StringComparison.Ordinal);

    public int Count => _values.Count + _balances.Count;

    public bool TryGet(string key, out VersionedValue value)
    {
        if (!InBalanceTable(key)) return _values.TryGetValue(key, out value);
        var found = _balances.TryGetValue(key, out var e);
        value = found ? e.Versioned : default;
        return found;
    }

    public object? Get(string key) => TryGet(key, out var v) ? v.Value : null;

    /// <summary>The number under a balance key (<see cref="Account.Key"/>) or a supply key, straight from their table
    /// without boxing it: 0 if there is none or the key holds something else.</summary>
    internal long AmountOf(string key) => _balances.TryGetValue(key, out var e) ? e.AsAmount : 0;

    public long VersionOf(string key) => TryGet(key, out var v) ? v.Version : 0;

    /// <summary>Writes <paramref name="value"/> as the key's next version; returns the value it replaces (null if none).</summary>
    internal object? Write(string key, object? value, long height)
    {
        if (InBalanceTable(key))
        {
            ref var e = ref CollectionsMarshal.GetValueRefOrAddDefault(_balances, key, out var had);
            var replaced = had ? e.Value : null;
            e = BalanceEntry.Of(value, had ? e.Version + 1 : 1, height);
            return replaced;
        }
        // One hash lookup for the read of the old version and the write (every committed key of every call comes here).
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_values, key, out var existed);
        var old = existed ? slot.Value : null;
        slot = new VersionedValue(value, existed ? slot.Version + 1 : 1, height);
        return old;
    }

    /// <summary><see cref="Write"/> of a number under a balance or supply key, without boxing it; returns the number it
    /// replaces (0 if none, or if the key held something else).</summary>
    internal long WriteAmount(string key, long amount, long height)
    {
        System.Diagnostics.Debug.Assert(InBalanceTable(key));
        ref var e = ref CollectionsMarshal.GetValueRefOrAddDefault(_balances, key, out var had);
        var replaced = had ? e.AsAmount : 0;
        e = BalanceEntry.OfAmount(amount, had ? e.Version + 1 : 1, height);
        return replaced;
    }

    /// <summary>
    /// Whether both states hold the same keys with the same versions and the same values as text: exactly what
    /// equal <see cref="ContractRuntime.Digest"/>s stand for, checked in one linear pass without sorting or hashing
    /// the whole state (the digest builds a text of every key; comparing 7 replicas' states that way dominated the audit).
    /// </summary>
    public bool SameAs(VersionedState other)
    {
        if (ReferenceEquals(this, other)) return true;
        return Same(_values, other._values, static (a, b) => a.Version == b.Version && SameText(a.Value, b.Value))
            && Same(_balances, other._balances, static (a, b) => a.Version == b.Version && a.SameValueAs(b));
    }

    private static bool Same<T>(Dictionary<string, T> mine, Dictionary<string, T> theirs, Func<T, T, bool> same)
    {
        if (mine.Count != theirs.Count) return false;
        // Replicas that applied the same blocks inserted the same keys in the same order, so both tables list them alike:
        // walked side by side, equal pairs all the way prove the same state without a lookup per key. Any difference
        // (another order of the same keys is possible) leaves the answer to the lookups below.
        if (SameInStep(mine, theirs, same)) return true;
        foreach (var (key, v) in mine) // the answer is one boolean: the order of the walk cannot matter
            if (!theirs.TryGetValue(key, out var o) || !same(v, o)) return false;
        return true;
    }

    private static bool SameInStep<T>(Dictionary<string, T> mine, Dictionary<string, T> theirs, Func<T, T, bool> same)
    {
        using var other = theirs.GetEnumerator();
        foreach (var (key, v) in mine)
        {
            if (!other.MoveNext()) return false;
            var (otherKey, o) = other.Current;
            if (!string.Equals(key, otherKey, StringComparison.Ordinal) || !same(v, o)) return false;
        }
        return true;   // as many pairs on both sides (the counts are equal), each key once: the same keys, versions and values
    }

    // The digest writes a value as its text: two values count as the same when their texts are (numbers and strings without formatting them).
    internal static bool SameText(object? a, object? b) => (a, b) switch
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
        var at = _values.Count;
        foreach (var (key, e) in _balances) pairs[at++] = new(key, e.Versioned);
        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var kv in pairs) yield return kv;
    }
}

/// <summary>A value with its version (1 = first write) and the height of the block that wrote it.</summary>
public readonly record struct VersionedValue(object? Value, long Version, long Height);

/// <summary>A versioned value under a balance or supply key: a number (what such keys hold) inline, anything else a
/// contract put there as an object. <see cref="Value"/> boxes the number again for readers outside the hot path.</summary>
internal readonly struct BalanceEntry
{
    private readonly object? _other;   // the value, when it is not a number
    private readonly long _amount;     // the value, when it is
    private readonly bool _isAmount;
    public readonly long Version;
    public readonly long Height;

    private BalanceEntry(object? other, long amount, bool isAmount, long version, long height) =>
        (_other, _amount, _isAmount, Version, Height) = (other, amount, isAmount, version, height);

    public static BalanceEntry OfAmount(long amount, long version, long height) => new(null, amount, true, version, height);
    public static BalanceEntry Of(object? value, long version, long height) =>
        value is long amount ? OfAmount(amount, version, height) : new(value, 0, false, version, height);

    public object? Value => _isAmount ? _amount : _other;
    /// <summary>The number held, or 0 if the key holds something else (as a balance read treats it).</summary>
    public long AsAmount => _isAmount ? _amount : 0;
    public VersionedValue Versioned => new(Value, Version, Height);

    /// <summary>Same value as the digest sees it (its text): numbers compared as numbers, anything else as <see cref="VersionedState"/> compares values.</summary>
    public bool SameValueAs(in BalanceEntry other) =>
        _isAmount && other._isAmount ? _amount == other._amount : VersionedState.SameText(Value, other.Value);
}
