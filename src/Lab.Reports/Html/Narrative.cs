using Lab.Reports.Charts;
using Lab.Reports.Statistics;
using Lab.Sim.Metrics;

namespace Lab.Reports.Html;

/// <summary>
/// The report's opening sentences, generated from the numbers so a reader who did not write the
/// experiment knows the result in seconds, e.g. "pbft: 1,950 tx/s at nodes=4 and 410 tx/s at nodes=64;
/// p99 commit latency grew from 45 ms to 1.2 s."
/// </summary>
public static class Narrative
{
    public static IReadOnlyList<string> Sentences(ExperimentResult result, ExperimentSummary summary)
    {
        var h = Headline.Of(result, summary);
        var sentences = new List<string>(result.Opening);
        var runs = summary.Points.Sum(p => p.Replications);
        var variants = summary.Points.Select(p => p.Variant).Distinct().ToList();
        sentences.Add($"{Count(runs, "run")} of {Count(summary.Points.Count, "configuration")}"
            + (variants.Count > 1 ? $" comparing {string.Join(", ", variants)}" : "")
            + (result.SweepAxes.Count > 0 ? $" over {string.Join(" × ", result.SweepAxes)}" : "")
            + $", root seed {summary.Seed}.");

        foreach (var variant in variants)
        {
            var points = summary.Points.Where(p => p.Variant == variant).ToList();
            var parts = new List<string>();
            if (h.Throughput is { } tp)
                parts.Add(Range(points, tp, m => m.Mean, tp.Contains("throughput", StringComparison.Ordinal) ? "throughput was" : $"{Words(tp)} averaged", "went from"));
            if (h.Latency is { } lat)
                parts.Add(Range(points, lat, m => m.P99, $"p99 {Words(lat)} was", "grew from", median: (lat, "median")));
            if (h.Settlement is { } st)
                parts.Add(Range(points, st, m => m.P50, $"the median {Words(st)} was", "went from", median: null)
                    + (points.Count == 1 ? $" (p99 {MetricLabels.Format(st, points[0].Metrics.TryGetValue(st, out var m) ? m.P99 : double.NaN)})" : ""));
            parts.RemoveAll(p => p.Length == 0);
            // One variant needs no name ("Default: …" reads oddly).
            if (parts.Count > 0) sentences.Add(variants.Count == 1 ? $"{Capital(string.Join("; ", parts))}." : $"{Capital(variant)}: {string.Join("; ", parts)}.");
        }

        if (h.Throughput is null && h.Latency is null && h.Settlement is null)
        {
            var first = summary.Points.FirstOrDefault();
            if (first is not null && first.Metrics.TryGetValue(KernelMetrics.MessagesTotal, out var msgs))
                sentences.Add($"{Capital(first.Label)} sent {TimeAxis.Significant(msgs.Mean)} messages per run on average.");
        }

        if (h.Safety)
        {
            var violations = summary.Points.Sum(p => p.Metrics.TryGetValue(KernelMetrics.SafetyViolations, out var m) ? m.Mean * m.N : 0);
            var where = summary.Points.Where(p => p.Metrics.TryGetValue(KernelMetrics.SafetyViolations, out var m) && m.Max > 0).Select(p => p.Label).ToList();
            sentences.Add(violations == 0
                ? "No safety violation was found."
                : $"{Count((long)Math.Round(violations), "safety violation")} found ({string.Join("; ", where)})"
                  + (result.ExpectedSafety == "violated" ? ", as the experiment expected." : " — the experiment expected safety to hold."));
        }

        var faults = result.Points.SelectMany(p => p.Replications.Take(1)).SelectMany(r => r.Stats.Faults)
            .Select(f => f.Description).Distinct().ToList();
        if (faults.Count > 0) sentences.Add($"Faults injected: {string.Join("; ", faults.Take(5))}{(faults.Count > 5 ? $" and {faults.Count - 5} more" : "")}.");
        var reps = summary.Points.Select(p => p.Replications).DefaultIfEmpty(0).Max();
        if (reps > 1) sentences.Add($"Ranges in brackets are 95% confidence intervals over {reps} replications.");
        return sentences;
    }

    /// <summary>"was 1,950 tx/s" for one point, "went from 1,950 tx/s at nodes=4 to 410 tx/s at nodes=64" across a sweep.</summary>
    private static string Range(List<PointSummary> points, string metric, Func<MetricSummary, double> pick, string lead, string verb,
        (string Metric, string Word)? median = null)
    {
        var having = points.Where(p => p.Metrics.ContainsKey(metric)).ToList();
        if (having.Count == 0) return "";
        if (having.Count == 1)
        {
            var m = having[0].Metrics[metric];
            var text = $"{lead} {MetricLabels.Format(metric, pick(m))}";
            if (median is { } md) text += $" ({md.Word} {MetricLabels.Format(metric, m.P50)})";
            return text;
        }
        var first = having[0];
        var last = having[^1];
        var subject = lead.EndsWith(" was", StringComparison.Ordinal) ? lead[..^4] : lead.EndsWith(" averaged", StringComparison.Ordinal) ? lead[..^9] : lead;
        var (a, b) = (pick(first.Metrics[metric]), pick(last.Metrics[metric]));
        // "grew" only when it did: the sentence must not contradict its own numbers.
        if (verb == "grew from" && b < a) verb = "fell from";
        return $"{subject} {verb} {MetricLabels.Format(metric, pick(first.Metrics[metric]))} at {At(first)} to {MetricLabels.Format(metric, pick(last.Metrics[metric]))} at {At(last)}";
    }

    private static string At(PointSummary p) => p.Parameters.Count == 0 ? "the first point" :
        string.Join(", ", p.Parameters.Select(kv => $"{PointSummary.ShortKey(kv.Key)}={kv.Value}"));

    private static string Words(string metric) => MetricLabels.Words(metric).ToLowerInvariant();

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string Count(long n, string noun) => $"{TimeAxis.Significant(n)} {noun}{(n == 1 ? "" : "s")}";
}
