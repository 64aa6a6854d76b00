using Lab.Reports.Charts;
using Lab.Reports.Statistics;

namespace Lab.Reports.Html;

/// <summary>
/// The few metrics a reader looks at first, found by name in the results: throughput, latency,
/// settlement time, messages and safety. Shared by the headline table and the plain-language summary.
/// </summary>
public sealed record Headline(string? Throughput, string? Latency, string? Settlement, bool Messages, bool Safety)
{
    public static Headline Of(ExperimentSummary summary)
    {
        var all = new SortedSet<string>(summary.Points.SelectMany(p => p.Metrics.Keys), StringComparer.Ordinal);
        var samples = new SortedSet<string>(summary.Points.SelectMany(p => p.SampleMetrics), StringComparer.Ordinal);
        return new Headline(
            ChartCatalog.MatchMetric("throughput", all) ?? all.FirstOrDefault(m => m.EndsWith("_per_s", StringComparison.Ordinal)),
            ChartCatalog.MatchMetric("latency", samples),
            ChartCatalog.MatchMetric("settlement", samples),
            all.Contains("messages_total"),
            all.Contains("safety_violations"));
    }

    /// <summary>A value with its unit as a person reads it: seconds humanised, rates and counts with 3 significant digits.</summary>
    public static string Format(string metric, double value) =>
        metric.EndsWith("_per_s", StringComparison.Ordinal) ? TimeAxis.Significant(value) + "/s"
        : metric.EndsWith("_tps", StringComparison.Ordinal) ? TimeAxis.Significant(value) + " tx/s"
        : ChartCatalog.IsSeconds(metric) ? TimeAxis.Humanise(value)
        : TimeAxis.Significant(value);
}
