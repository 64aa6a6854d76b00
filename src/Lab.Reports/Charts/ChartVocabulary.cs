using System.Text.RegularExpressions;
using Lab.Reports.Statistics;

namespace Lab.Reports.Charts;

/// <summary>What a metric is to a chart: a per-run value (sweeps, bars), samples (distributions) or a series (over time).</summary>
public enum MetricShape { Value, Samples, Series }

/// <summary>
/// The names a chart may draw in one experiment: its metrics by shape, the words its models define
/// (<see cref="MetricWord"/>) and its sweep axes. Built from the results (<see cref="Of"/>) when a
/// report is drawn, or from what the models declare (<see cref="Declared"/>) when an experiment is
/// validated, so a chart asked for a metric no run can have is an error before anything runs.
/// </summary>
public sealed partial class ChartVocabulary
{
    // A placeholder in a declared name, as Regex.Escape leaves it: <node>, <ccy>, or *.
    [GeneratedRegex(@"<[^>]*>|\\\*", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    private readonly Dictionary<MetricShape, SortedSet<string>> _names;
    private readonly IReadOnlyList<(string Written, Regex Regex)> _patterns;
    // Built from declarations: which of several candidates a run will have depends on its configuration
    // (the market's currency), so any one is enough to validate; the report's lookup stays strict.
    private bool _declared;

    private ChartVocabulary(Dictionary<MetricShape, SortedSet<string>> names, IReadOnlyList<(string, Regex)> patterns,
        IReadOnlyList<MetricWord> words, IReadOnlyList<string> axes, bool cpu)
    {
        _names = names;
        _patterns = patterns;
        Words = words;
        SweepAxes = axes;
        HasCpu = cpu;
    }

    public IReadOnlyList<MetricWord> Words { get; }
    public IReadOnlyList<string> SweepAxes { get; }
    /// <summary>Whether the kernel measured CPU utilisation per node (<c>cpu-per-node</c>).</summary>
    public bool HasCpu { get; }

    /// <summary>The metrics, series and sweep axes the results hold, and the words of their models.</summary>
    public static ChartVocabulary Of(ExperimentResult result, ExperimentSummary summary)
    {
        var names = new Dictionary<MetricShape, SortedSet<string>>
        {
            [MetricShape.Value] = new(summary.Points.SelectMany(p => p.Metrics.Keys), StringComparer.Ordinal),
            [MetricShape.Samples] = new(summary.Points.SelectMany(p => p.SampleMetrics), StringComparer.Ordinal),
            [MetricShape.Series] = new(result.Points.SelectMany(p => p.Replications).SelectMany(r => r.Metrics.Series.Keys), StringComparer.Ordinal),
        };
        var cpu = result.Points.Any(p => p.Replications.Any(r => r.Stats.CpuUtilisation.Count > 0));
        return new ChartVocabulary(names, [], result.Words, result.SweepAxes, cpu);
    }

    /// <summary>
    /// What the models of an experiment declare they can record. A declared name may hold placeholders
    /// (<c>commits.&lt;node&gt;</c>, <c>exposure_&lt;ccy&gt;</c>) that stand for any name part; a declared
    /// name serves every shape, since a declaration does not say whether it is a value, samples or a series.
    /// </summary>
    public static ChartVocabulary Declared(IEnumerable<string> metrics, IReadOnlyList<MetricWord> words, IReadOnlyList<string> sweepAxes)
    {
        var exact = new SortedSet<string>(StringComparer.Ordinal);
        var patterns = new List<(string, Regex)>();
        foreach (var m in metrics)
        {
            if (m.Contains('<') || m.Contains('*'))
                patterns.Add((m, new Regex("^" + Placeholder().Replace(Regex.Escape(m), "[a-z0-9_-]+") + "$", RegexOptions.CultureInvariant)));
            else exact.Add(m);
        }
        var names = Enum.GetValues<MetricShape>().ToDictionary(s => s, _ => exact);
        return new ChartVocabulary(names, patterns, words, sweepAxes, cpu: true) { _declared = true };
    }

    /// <summary>Whether a metric of this name and shape exists.</summary>
    public bool Has(string metric, MetricShape shape) =>
        _names[shape].Contains(metric) || _patterns.Any(p => p.Regex.IsMatch(metric));

    /// <summary>The names of one shape (placeholders left out), in ordinal order.</summary>
    public IReadOnlyCollection<string> Names(MetricShape shape) => _names[shape];

    /// <summary>Per-run values named <c>&lt;family&gt;.&lt;node&gt;</c>: the node (or member) parts, in ordinal order.</summary>
    public IReadOnlyList<string> Members(string family) =>
        [.. _names[MetricShape.Value].Where(m => m.StartsWith(family + ".", StringComparison.Ordinal)).Select(m => m[(family.Length + 1)..]).Distinct()];

    /// <summary>Whether per-node values <c>&lt;family&gt;.&lt;node&gt;</c> exist (declared with a placeholder, or recorded).</summary>
    public bool HasFamily(string family) => Members(family).Count > 0 || _patterns.Any(p => p.Regex.IsMatch(family + ".n0"));

    /// <summary>The bases of every <c>&lt;family&gt;.&lt;node&gt;</c> value (recorded or declared), for messages.</summary>
    public IReadOnlyList<string> Families() =>
        [.. _names[MetricShape.Value].Where(m => m.Contains('.')).Select(m => m[..m.IndexOf('.')])
            .Concat(_patterns.Select(p => p.Written).Where(w => w.Contains(".<", StringComparison.Ordinal)).Select(w => w[..w.IndexOf(".<", StringComparison.Ordinal)]))
            .Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Per-run values whose names start with <paramref name="prefix"/>, in ordinal order (declared ones with placeholders as written).</summary>
    public IReadOnlyList<string> WithPrefix(string prefix) =>
        [.. _names[MetricShape.Value].Concat(_patterns.Select(p => p.Written)).Where(m => m.StartsWith(prefix, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>
    /// The one metric a chart word means, of the shape the chart draws, by exact rules only: the name itself
    /// (<c>-</c> read as <c>_</c>); else what a model's word means (<c>latency</c> → <c>commit_latency_s</c>);
    /// else the name with a unit of <see cref="MetricLabels.Units"/> added (<c>settlement-time</c> →
    /// <c>settlement_time_s</c>). Two candidates at one step are ambiguous, never a guess — except in a
    /// vocabulary of declarations, where one candidate is enough to know the chart can be drawn.
    /// </summary>
    public MetricLookup Find(string word, MetricShape shape)
    {
        var name = word.Replace('-', '_');
        if (Has(name, shape)) return MetricLookup.Found(name);
        var meant = MetricWord.Meanings(Words, word);
        var present = meant.Where(m => Has(m, shape)).ToList();
        if (present.Count == 1 || present.Count > 1 && _declared) return MetricLookup.Found(present[0]);
        if (present.Count > 1) return MetricLookup.Problem($"'{word}' means {string.Join(" or ", present)} in this experiment's models: name the metric");
        var withUnit = MetricLabels.WithUnits(name).Where(m => Has(m, shape)).ToList();
        if (withUnit.Count == 1 || withUnit.Count > 1 && _declared) return MetricLookup.Found(withUnit[0]);
        if (withUnit.Count > 1) return MetricLookup.Problem($"'{word}' could be {string.Join(" or ", withUnit)}: name the metric");
        var what = shape switch { MetricShape.Samples => "sample metric", MetricShape.Series => "series", _ => "metric" };
        var because = meant.Count > 0 ? $" ('{word}' means {string.Join(" or ", meant)}, which no point has as a {what})" : "";
        return MetricLookup.Missing($"no {what} '{name}'{because}", name, Names(shape));
    }

    /// <summary>The sweep axis a chart word names: the key itself or its last segment, with <c>-</c> or <c>_</c>.</summary>
    public string? Axis(string word)
    {
        var underscored = word.Replace('-', '_');
        // Keys are written with '-' (settlement.netting-window): try the word as written, then with '_'.
        return SweepAxes.FirstOrDefault(a => a == word || a == underscored)
            ?? SweepAxes.FirstOrDefault(a => PointSummary.ShortKey(a) == word || PointSummary.ShortKey(a) == underscored);
    }
}

/// <summary>The answer to <see cref="ChartVocabulary.Find"/>: the metric, or why there is none and what exists instead.</summary>
/// <param name="Wanted">The name looked for, when nothing matched (for "did you mean").</param>
/// <param name="Existing">The names of the shape that do exist, when nothing matched.</param>
public sealed record MetricLookup(string? Metric, string? Why, string? Wanted, IReadOnlyCollection<string> Existing)
{
    public static MetricLookup Found(string metric) => new(metric, null, null, []);
    public static MetricLookup Problem(string why) => new(null, why, null, []);
    public static MetricLookup Missing(string why, string wanted, IReadOnlyCollection<string> existing) => new(null, why, wanted, existing);
}
