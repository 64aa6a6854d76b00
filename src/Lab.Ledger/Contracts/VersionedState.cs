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

    internal void Write(string key, object? value, long height)
    {
        var version = _values.TryGetValue(key, out var old) ? old.Version + 1 : 1;
        _values[key] = new VersionedValue(value, version, height);
    }

    /// <summary>Every key and value in ordinal key order (for digests, audits and the regulator).</summary>
    public IEnumerable<KeyValuePair<string, VersionedValue>> Ordered() =>
        _values.OrderBy(kv => kv.Key, StringComparer.Ordinal);
}

/// <summary>A value with its version (1 = first write) and the height of the block that wrote it.</summary>
public readonly record struct VersionedValue(object? Value, long Version, long Height);
