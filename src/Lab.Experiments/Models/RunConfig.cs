using Lab.Experiments.Values;
using Lab.Experiments.Yaml;
using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>A value of a key in a resolved configuration, with the node it came from.</summary>
/// <param name="Origin">Which layer set it: default, preset, file, --set, variant, sweep.</param>
public sealed record ConfigValue(object Value, YNode Node, string Origin);

/// <summary>
/// The resolved configuration of one run: every key that has a value (defaults filled in, preset,
/// file, <c>--set</c>, variant and sweep point applied, in that order), by dotted path.
/// </summary>
public sealed class RunConfig
{
    private readonly Dictionary<string, ConfigValue> _own;
    // A sweep point shares its variant's configuration and keeps only the keys it changes, so that
    // 100,000 points do not hold 100,000 copies of every key (validation memory and time).
    private readonly RunConfig? _shared;
    private SortedDictionary<string, ConfigValue>? _all;

    public RunConfig(IEnumerable<KeyValuePair<string, ConfigValue>> values)
    {
        _own = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var (k, v) in values) _own[k] = v;
    }

    /// <summary>The configuration <paramref name="shared"/> with some keys set to other values.</summary>
    public RunConfig(RunConfig shared, IEnumerable<KeyValuePair<string, ConfigValue>> changes) : this(changes) => _shared = shared;

    /// <summary>Every key with its value, in ordinal key order.</summary>
    public IReadOnlyDictionary<string, ConfigValue> Values
    {
        get
        {
            if (_all is not null) return _all;
            var all = _shared is null ? new SortedDictionary<string, ConfigValue>(StringComparer.Ordinal) : new SortedDictionary<string, ConfigValue>((IDictionary<string, ConfigValue>)_shared.Values, StringComparer.Ordinal);
            foreach (var (k, v) in _own) all[k] = v;
            return _all = all;
        }
    }

    private bool TryGet(string path, out ConfigValue value)
    {
        if (_own.TryGetValue(path, out value!)) return true;
        if (_shared is not null) return _shared.TryGet(path, out value);
        return false;
    }

    public bool Has(string path) => TryGet(path, out _);
    public ConfigValue? Entry(string path) => TryGet(path, out var v) ? v : null;
    public SourceMark MarkOf(string path) => TryGet(path, out var v) ? v.Node.Mark : new SourceMark("(default)", 0, 0);

    public T Get<T>(string path) where T : notnull =>
        TryGet(path, out var v) ? (T)v.Value : throw new KeyNotFoundException($"'{path}' has no value and no default");

    /// <summary>The value, or <paramref name="fallback"/> when the key is absent.</summary>
    public T GetOr<T>(string path, T fallback) => TryGet(path, out var v) ? (T)v.Value : fallback;

    /// <summary>A list of names (e.g. <c>network.regions</c>, <c>outputs.charts</c>); empty when absent.</summary>
    public IReadOnlyList<string> Strings(string path) => [.. GetOr<List<object>>(path, []).Cast<string>()];

    public int Int(string path) => checked((int)Get<long>(path));
    public double Number(string path) => Get<double>(path);
    public bool Bool(string path) => Get<bool>(path);
    public string Text(string path) => Get<string>(path);
    public Duration Time(string path) => Get<Duration>(path);
    public Size Size(string path) => Get<Size>(path);
    public Rate Rate(string path) => Get<Rate>(path);
    public Distribution Distribution(string path) => Get<Distribution>(path);
}
