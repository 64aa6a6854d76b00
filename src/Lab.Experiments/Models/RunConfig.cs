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
    private readonly SortedDictionary<string, ConfigValue> _values;

    public RunConfig(IEnumerable<KeyValuePair<string, ConfigValue>> values)
    {
        _values = new SortedDictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var (k, v) in values) _values[k] = v;
    }

    public IReadOnlyDictionary<string, ConfigValue> Values => _values;
    public bool Has(string path) => _values.ContainsKey(path);
    public ConfigValue? Entry(string path) => _values.GetValueOrDefault(path);
    public SourceMark MarkOf(string path) => _values.TryGetValue(path, out var v) ? v.Node.Mark : new SourceMark("(default)", 0, 0);

    public T Get<T>(string path) where T : notnull =>
        _values.TryGetValue(path, out var v) ? (T)v.Value : throw new KeyNotFoundException($"'{path}' has no value and no default");

    /// <summary>The value, or <paramref name="fallback"/> when the key is absent.</summary>
    public T GetOr<T>(string path, T fallback) => _values.TryGetValue(path, out var v) ? (T)v.Value : fallback;

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
