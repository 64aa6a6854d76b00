using Lab.Sim.Metrics;

namespace Lab.Reports.Statistics;

/// <summary>
/// The statistics of a whole experiment, point by point, in the order of <see cref="ExperimentResult.Points"/>.
/// This is what <c>summary.json</c>, the charts and the report's tables are made from.
/// </summary>
public sealed record ExperimentSummary(string Experiment, ulong Seed, IReadOnlyList<PointSummary> Points)
{
    /// <summary>Findings listed per point; the rest are counted, not listed (the CSV keeps all of them).</summary>
    public const int FindingsPerPoint = 100;

    /// <summary>
    /// Whether <c>safety_violations</c> is derived for every run: once any run of the experiment has a
    /// safety finding, so the points can be compared (a model can also record it itself to always have it).
    /// </summary>
    public static bool CountsSafety(ExperimentResult result) =>
        result.Points.Any(p => p.Replications.Any(r =>
            r.Metrics.Findings.Any(f => f.Kind.StartsWith(RunValues.SafetyFindingPrefix, StringComparison.Ordinal))));

    /// <summary>Summaries already made, by result instance: results are immutable, and <c>lab run</c> prints the headline
    /// table and writes the report from the same result (its pooled percentiles sort every sample of every run).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ExperimentResult, ExperimentSummary> Made = new();

    public static ExperimentSummary Of(ExperimentResult result) => Made.GetValue(result, Make);

    private static ExperimentSummary Make(ExperimentResult result)
    {
        var countSafety = CountsSafety(result);
        var points = new List<PointSummary>(result.Points.Count);
        for (int i = 0; i < result.Points.Count; i++)
            points.Add(Summarise(i, result.Points[i], result.WarmupSeconds, countSafety));
        return new ExperimentSummary(result.Name, result.Seed, points);
    }

    private static PointSummary Summarise(int index, PointResult point, double warmupSeconds, bool countSafety)
    {
        var runs = point.Replications.Select(r => RunValues.Of(r, warmupSeconds, countSafety)).ToList();
        var names = new SortedSet<string>(runs.SelectMany(r => r.Values.Keys), StringComparer.Ordinal);
        var metrics = new SortedDictionary<string, MetricSummary>(StringComparer.Ordinal);
        var sampleMetrics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var perRun = runs.Where(r => r.Values.ContainsKey(name)).Select(r => r.Values[name]).ToList();
            var isSample = runs.Any(r => r.Samples.ContainsKey(name));
            if (isSample)
            {
                sampleMetrics.Add(name);
                var pooled = runs.Where(r => r.Samples.ContainsKey(name)).SelectMany(r => r.Samples[name]).ToList();
                metrics[name] = MetricSummary.Of(perRun, pooled);
            }
            else metrics[name] = MetricSummary.OfRuns(perRun);
        }

        var findings = new List<PointFinding>();
        int total = 0;
        foreach (var r in point.Replications)
            foreach (Finding f in r.Metrics.Findings)
            {
                total++;
                if (findings.Count < FindingsPerPoint) findings.Add(new PointFinding(r.Index, r.Seed, f.At.Seconds, f.Kind, f.Text));
            }

        return new PointSummary
        {
            Index = index,
            Variant = point.Variant,
            Parameters = point.Parameters,
            Replications = point.Replications.Count,
            Metrics = metrics,
            SampleMetrics = sampleMetrics,
            Findings = findings,
            FindingsTotal = total,
        };
    }
}
