using System.Text.RegularExpressions;
using Lab.Reports.Statistics;

namespace Lab.Reports.Charts;

/// <summary>The charts made for an experiment, and why any requested chart was not made.</summary>
public sealed record ChartSet(IReadOnlyList<ChartImage> Charts, IReadOnlyList<string> Skipped);

/// <summary>
/// Turns chart names (<c>outputs.charts</c>) into charts. Each name belongs to one kind, tried in this
/// order: <see cref="SweepChart"/> (<c>…-vs-…</c>), <see cref="TimeSeriesChart"/>, <see cref="DistributionChart"/>,
/// <see cref="PerNodeChart"/>, <see cref="TimelineChart"/>, <see cref="BarChart"/>. A metric in a name is found by
/// exact rules (<see cref="ChartVocabulary.Find"/>), never by likeness: validation (<see cref="Plan"/> against
/// what the models declare) reports a chart no point can feed; when a report is drawn, such a chart is skipped
/// with its reason, never an exception.
/// </summary>
public static partial class ChartCatalog
{
    private delegate ChartPlan? Kind(string name, ChartVocabulary vocabulary);

    private static readonly Kind[] Kinds =
        [SweepChart.Parse, TimeSeriesChart.Parse, DistributionChart.Parse, PerNodeChart.Parse, TimelineChart.Parse, BarChart.Parse];

    /// <summary>The chart names (and patterns) the kinds understand, for help texts and messages.</summary>
    public static readonly IReadOnlyList<string> Names =
        [.. SweepChart.Patterns, .. TimeSeriesChart.Patterns, .. DistributionChart.Patterns, .. PerNodeChart.Patterns,
         .. TimelineChart.Patterns, .. BarChart.Patterns];

    // Chart names become file names: nothing that could leave the charts folder.
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();

    // ScottPlot shares font and typeface caches between plots; reports written from parallel runs draw one chart at a time.
    private static readonly Lock Drawing = new();

    /// <summary>The chart a name asks for in an experiment with this vocabulary, or what is wrong with the name.</summary>
    public static ChartPlan Plan(string name, ChartVocabulary vocabulary)
    {
        if (!ValidName().IsMatch(name)) return ChartPlan.Failed(name, "not a chart name (letters, digits and '-' only)");
        foreach (var kind in Kinds)
            if (kind(name, vocabulary) is { } plan) return plan;
        return ChartPlan.Failed(name, $"no chart of that name (known: {string.Join(", ", Names)})");
    }

    /// <summary>The charts asked for (or <see cref="DefaultNames"/>), drawn from the results.</summary>
    public static ChartSet Build(ExperimentResult result, ExperimentSummary summary)
    {
        lock (Drawing) return BuildAll(result, summary);
    }

    private static ChartSet BuildAll(ExperimentResult result, ExperimentSummary summary)
    {
        var vocabulary = ChartVocabulary.Of(result, summary);
        var names = result.Charts.Count > 0 ? result.Charts : DefaultNames(result, summary);
        var charts = new List<ChartImage>();
        var skipped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in names)
        {
            var name = raw.Trim().ToLowerInvariant();
            if (!seen.Add(name)) continue;
            var plan = Plan(name, vocabulary);
            if (plan.Chart is null)
            {
                skipped.Add($"{raw}: {plan.Problem}");
                continue;
            }
            try
            {
                var chart = plan.Chart.Draw(result, summary, out var why);
                if (chart is not null) charts.Add(chart);
                else skipped.Add($"{raw}: {why}");
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                // A chart must never take the results down with it: report the reason instead.
                skipped.Add($"{raw}: could not be drawn ({e.Message})");
            }
        }
        return new ChartSet(charts, skipped);
    }

    /// <summary>
    /// Charts for the metrics present, when the experiment asked for none: throughput over time, the latency
    /// and settlement-time CDFs, exposure, liquidity, the trade timeline, and per sweep axis throughput, p99
    /// latency and p99 settlement time; CPU per node when none of those can be drawn.
    /// </summary>
    public static IReadOnlyList<string> DefaultNames(ExperimentResult result, ExperimentSummary summary)
    {
        var vocabulary = ChartVocabulary.Of(result, summary);
        var candidates = new List<string> { "throughput-over-time", "latency-cdf", "settlement-time", "exposure", "liquidity", "trade-timeline" };
        foreach (var axis in result.SweepAxes)
        {
            var shortAxis = PointSummary.ShortKey(axis).Replace('_', '-');
            candidates.AddRange([$"throughput-vs-{shortAxis}", $"latency-p99-vs-{shortAxis}", $"settlement-p99-vs-{shortAxis}"]);
        }
        var names = candidates.Where(n => Plan(n, vocabulary).Chart is not null).ToList();
        if (names.Count == 0 && vocabulary.HasCpu) names.Add("cpu-per-node");
        return names;
    }
}
