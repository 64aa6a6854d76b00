using Lab.Reports.Charts;
using Lab.Sim.Metrics;

namespace Lab.Reports;

/// <summary>A unit a metric name ends with (<c>_s</c>, <c>_tps</c>, <c>_cny</c>): how titles name it and how values are written.</summary>
/// <param name="Suffix">The end of the metric name, with its underscore.</param>
/// <param name="Title">The unit in titles: "Commit latency (s)".</param>
/// <param name="Format">A value of a metric in this unit as a person reads it.</param>
public sealed record MetricUnit(string Suffix, string Title, Func<double, string> Format);

/// <summary>
/// How a metric name reads to a person, in one place for charts, the headline table and the
/// narrative: <c>commit_latency_s</c> is "Commit latency (s)" in a title, "Commit latency" where the
/// value carries its unit, and 45 ms as a value. A name's unit is its suffix in <see cref="Units"/>;
/// the words are the rest with <c>_</c> and <c>.</c> read as spaces, unless <see cref="Names"/> says otherwise.
/// A chart may also name a metric without its unit (<c>settlement-time</c> for <c>settlement_time_s</c>).
/// </summary>
public static class MetricLabels
{
    /// <summary>The units, longest suffix first (<c>_per_s</c> before <c>_s</c>).</summary>
    public static readonly IReadOnlyList<MetricUnit> Units =
    [
        new("_per_s", "per s", v => TimeAxis.Significant(v) + "/s"),
        new("_tps", "tx/s", v => TimeAxis.Significant(v) + " tx/s"),
        new("_cny", "CNY", v => TimeAxis.Significant(v) + " CNY"),
        new("_usd", "USD", v => TimeAxis.Significant(v) + " USD"),
        new("_ms", "ms", v => TimeAxis.Significant(v) + " ms"),
        new("_s", "s", TimeAxis.Humanise),
    ];

    /// <summary>Metrics whose words are not their name read aloud.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [KernelMetrics.MessagesTotal] = "Messages",
    };

    /// <summary>The unit <paramref name="metric"/> ends with, if any.</summary>
    public static MetricUnit? UnitOf(string metric) =>
        Units.FirstOrDefault(u => metric.EndsWith(u.Suffix, StringComparison.Ordinal) && metric.Length > u.Suffix.Length);

    /// <summary>"commit_latency_s" → "Commit latency (s)", "messages_total" → "Messages": for titles and column heads.</summary>
    public static string Title(string metric)
    {
        if (Names.TryGetValue(metric, out var name)) return name;
        var unit = UnitOf(metric);
        var words = Spoken(unit is null ? metric : metric[..^unit.Suffix.Length]);
        return unit is null ? words : $"{words} ({unit.Title})";
    }

    /// <summary>"commit_latency_s" → "Commit latency", "rumours_heard_per_s" → "Rumours heard": for labels whose values carry their unit.</summary>
    public static string Words(string metric)
    {
        if (Names.TryGetValue(metric, out var name)) return name;
        var unit = UnitOf(metric);
        return Title(unit is null ? metric : metric[..^unit.Suffix.Length]);
    }

    /// <summary>Whether a metric is a time in seconds (<c>_s</c>, not <c>_per_s</c>).</summary>
    public static bool IsSeconds(string metric) => UnitOf(metric)?.Suffix == "_s";

    /// <summary>A value with its unit as a person reads it: seconds humanised (45 ms, 18.4 h), rates and counts with 3 significant digits.</summary>
    public static string Format(string metric, double value) =>
        UnitOf(metric) is { } unit ? unit.Format(value) : TimeAxis.Significant(value);

    /// <summary>The names a chart word may mean when it leaves the unit off: "settlement_time" → settlement_time_s, settlement_time_tps, ….</summary>
    public static IEnumerable<string> WithUnits(string name) => Units.Select(u => name + u.Suffix);

    private static string Spoken(string name)
    {
        var words = name.Replace('_', ' ').Replace('.', ' ');
        return words.Length > 0 ? char.ToUpperInvariant(words[0]) + words[1..] : words;
    }
}
