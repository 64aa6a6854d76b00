using Lab.Reports.Charts;
using Lab.Reports.Statistics;
using Lab.Sim.Metrics;

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
            all.Contains(KernelMetrics.MessagesTotal),
            all.Contains(KernelMetrics.SafetyViolations));
    }

    /// <summary>
    /// The columns of the headline table (report and terminal): throughput with its CI, latency and
    /// settlement percentiles, messages, safety; or, when none of those exist, the model's first metrics.
    /// </summary>
    public static IReadOnlyList<HeadlineColumn> Columns(ExperimentSummary summary)
    {
        var hl = Of(summary);
        var columns = new List<HeadlineColumn>();
        if (hl.Throughput is { } tp) columns.Add(new(ChartCatalog.Humanise(tp), tp, m => m.Mean, true));
        if (hl.Latency is { } lat)
        {
            columns.Add(new($"{ChartCatalog.Words(lat)} p50", lat, m => m.P50, false));
            columns.Add(new($"{ChartCatalog.Words(lat)} p99", lat, m => m.P99, false));
        }
        if (hl.Settlement is { } st)
        {
            columns.Add(new($"{ChartCatalog.Words(st)} p50", st, m => m.P50, false));
            columns.Add(new($"{ChartCatalog.Words(st)} p99", st, m => m.P99, false));
            columns.Add(new($"{ChartCatalog.Words(st)} max", st, m => m.Max, false));
        }
        if (hl.Messages) columns.Add(new("Messages", KernelMetrics.MessagesTotal, m => m.Mean, true));
        if (hl.Safety) columns.Add(new("Safety violations", KernelMetrics.SafetyViolations, m => m.Mean, false));
        if (columns.Count == 0)
        {
            // Nothing well known: the first few metrics the model recorded itself.
            var kernel = new HashSet<string>([KernelMetrics.EventsTotal, KernelMetrics.MessagesTotal, KernelMetrics.BytesTotal, KernelMetrics.MessagesDropped, KernelMetrics.CpuUtilisation], StringComparer.Ordinal);
            foreach (var m in summary.Points.SelectMany(p => p.Metrics.Keys).Where(m => !kernel.Contains(m)).Distinct().Take(5))
                columns.Add(new(m, m, s => s.Mean, true));
        }
        return columns;
    }

    /// <summary>A value with its unit as a person reads it: seconds humanised, rates and counts with 3 significant digits.</summary>
    public static string Format(string metric, double value) =>
        metric.EndsWith("_per_s", StringComparison.Ordinal) ? TimeAxis.Significant(value) + "/s"
        : metric.EndsWith("_tps", StringComparison.Ordinal) ? TimeAxis.Significant(value) + " tx/s"
        : ChartCatalog.IsSeconds(metric) ? TimeAxis.Humanise(value)
        : TimeAxis.Significant(value);
}

/// <summary>One column of the headline table: its title, the metric, which statistic, and whether to show the 95% CI.</summary>
public sealed record HeadlineColumn(string Title, string Metric, Func<MetricSummary, double> Pick, bool Ci);
