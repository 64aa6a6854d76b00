namespace Lab.Sim.Nodes;

/// <summary>
/// A node's durable storage. Anything put here survives a crash-restart; everything else in the
/// behaviour is volatile and is lost. Values are typed by key.
/// </summary>
public sealed class DurableStore
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    public T GetOrAdd<T>(string key, Func<T> create) where T : notnull
    {
        if (_values.TryGetValue(key, out var v)) return (T)v;
        var created = create();
        _values[key] = created;
        return created;
    }

    public bool TryGet<T>(string key, out T value)
    {
        if (_values.TryGetValue(key, out var v) && v is T t) { value = t; return true; }
        value = default!;
        return false;
    }

    public void Put<T>(string key, T value) where T : notnull => _values[key] = value;

    /// <summary>Disk loss: a restart "without durable state".</summary>
    public void Wipe() => _values.Clear();
}
