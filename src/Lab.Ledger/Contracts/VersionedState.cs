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

    public int Count => _values.Count;

    public bool TryGet(string key, out VersionedValue value) => _values.TryGetValue(key, out value);

    public object? Get(string key) => _values.TryGetValue(key, out var v) ? v.Value : null;

    public long VersionOf(string key) => _values.TryGetValue(key, out var v) ? v.Version : 0;

    /// <summary>Writes <paramref name="value"/> as the key's next version; returns the value it replaces (null if none).</summary>
    internal object? Write(string key, object? value, long height)
    {
        // One hash lookup for the read of the old version and the write (every committed key of every call comes here).
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_values, key, out var existed);
        var old = existed ? slot.Value : null;
        slot = new VersionedValue(value, existed ? slot.Version + 1 : 1, height);
        return old;
    }

    /// <summary>Every key and value in ordinal key order (for digests, audits and the regulator).</summary>
    public IEnumerable<KeyValuePair<string, VersionedValue>> Ordered()
    {
        // Keys are unique, so an unstable in-place sort gives the one ordinal order (faster than a LINQ OrderBy on 50,000 trades' keys).
        var pairs = _values.ToArray();
        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var kv in pairs) yield return kv;
    }
}

/// <summary>A value with its version (1 = first write) and the height of the block that wrote it.</summary>
public readonly record struct VersionedValue(object? Value, long Version, long Height);
