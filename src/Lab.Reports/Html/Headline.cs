using Lab.Reports.Charts;
using Lab.Reports.Statistics;
using Lab.Sim.Metrics;

namespace Lab.Reports.Html;

/// <summary>
/// The few metrics a reader looks at first: the model's throughput, latency and settlement time (the
/// words its models declare, <see cref="MetricWord"/>), messages and safety. Shared by the headline table
/// and the plain-language summary; names and values read as <see cref="MetricLabels"/> writes them.
/// </summary>
public sealed record Headline(string? Throughput, string? Latency, string? Settlement, bool Messages, bool Safety)
{
    public static Headline Of(ExperimentResult result, ExperimentSummary summary)
    {
        var words = ChartVocabulary.Of(result, summary);
        var all = words.Names(MetricShape.Value);
        return new Headline(
            words.Find(MetricWord.Throughput, MetricShape.Value).Metric,
            words.Find(MetricWord.Latency, MetricShape.Samples).Metric,
            words.Find(MetricWord.Settlement, MetricShape.Samples).Metric,
            all.Contains(KernelMetrics.MessagesTotal),
            all.Contains(KernelMetrics.SafetyViolations));
    }

    /// <summary>
    /// The columns of the headline table (report and terminal): throughput with its CI, latency and
    /// settlement percentiles, messages, safety; or, when none of those exist, the model's first metrics.
    /// </summary>
    public static IReadOnlyList<HeadlineColumn> Columns(ExperimentResult result, ExperimentSummary summary)
    {
        var hl = Of(result, summary);
        var columns = new List<HeadlineColumn>();
        if (hl.Throughput is { } tp) columns.Add(new(MetricLabels.Title(tp), tp, m => m.Mean, true));
        if (hl.Latency is { } lat)
        {
            columns.Add(new($"{MetricLabels.Words(lat)} p50", lat, m => m.P50, false));
            columns.Add(new($"{MetricLabels.Words(lat)} p99", lat, m => m.P99, false));
        }
        if (hl.Settlement is { } st)
        {
            columns.Add(new($"{MetricLabels.Words(st)} p50", st, m => m.P50, false));
            columns.Add(new($"{MetricLabels.Words(st)} p99", st, m => m.P99, false));
            columns.Add(new($"{MetricLabels.Words(st)} max", st, m => m.Max, false));
        }
        if (hl.Messages) columns.Add(new(MetricLabels.Title(KernelMetrics.MessagesTotal), KernelMetrics.MessagesTotal, m => m.Mean, true));
        if (hl.Safety) columns.Add(new(MetricLabels.Title(KernelMetrics.SafetyViolations), KernelMetrics.SafetyViolations, m => m.Mean, false));
        if (columns.Count == 0)
        {
            // Nothing well known: the first few metrics the model recorded itself.
            var kernel = new HashSet<string>([KernelMetrics.EventsTotal, KernelMetrics.MessagesTotal, KernelMetrics.BytesTotal, KernelMetrics.MessagesDropped, KernelMetrics.CpuUtilisation], StringComparer.Ordinal);
            foreach (var m in summary.Points.SelectMany(p => p.Metrics.Keys).Where(m => !kernel.Contains(m)).Distinct().Take(5))
                columns.Add(new(m, m, s => s.Mean, true));
        }
        return columns;
    }
}

/// <summary>One column of the headline table: its title, the metric, which statistic, and whether to show the 95% CI.</summary>
public sealed record HeadlineColumn(string Title, string Metric, Func<MetricSummary, double> Pick, bool Ci);
