using Lab.Reports.Statistics;

namespace Lab.Reports.Writers;

/// <summary>One observation of <c>metrics/</c>: which run it belongs to, the metric, and its time and value.
/// <see cref="Text"/> holds a finding's text (its value column); non-finite numbers are null.</summary>
public readonly record struct TidyRow(int Run, string Variant, int Point, int Replication, string Metric, double? Time, double? Value, string? Text = null);

/// <summary>
/// The rows of each tidy table of <c>metrics/</c> (series, samples, scalars, faults, findings), in one
/// order: runs numbered 0.. in point then replication order. <see cref="MetricsCsv"/> and
/// <see cref="MetricsParquet"/> both write these rows, so the two formats cannot disagree.
/// </summary>
public static class TidyRows
{
    /// <summary>The tidy tables, by name, in file-name order.</summary>
    public static readonly IReadOnlyList<string> Tables = ["faults", "findings", "samples", "scalars", "series"];

    public static IEnumerable<TidyRow> Of(string table, ExperimentResult result)
    {
        var countSafety = ExperimentSummary.CountsSafety(result);
        return table switch
    {
        "series" => Each(result, (run, emit) =>
        {
            var bin = run.Metrics.SeriesBin.TotalSeconds;
            foreach (var (name, bins) in run.Metrics.Series)
                for (int i = 0; i < bins.Length; i++) emit(name, i * bin, bins[i], null);
        }),
        "samples" => Each(result, (run, emit) =>
        {
            foreach (var (name, samples) in run.Metrics.Samples)
                foreach (var s in MetricsCsv.Thin(samples, MetricsCsv.SamplesPerRun)) emit(name, null, s, null);
        }),
        "scalars" => Each(result, (run, emit) =>
        {
            // The same per-run values the summary used (same warm-up and safety rules).
            foreach (var (name, value) in RunValues.Of(run, result.WarmupSeconds, countSafety).Values)
                emit(name, null, value, null);
        }),
        "faults" => Each(result, (run, emit) =>
        {
            foreach (var f in run.Stats.Faults)
                emit(f.Description, f.Start.Seconds, f.End is { } end ? (end - f.Start).TotalSeconds : null, null);
        }),
        "findings" => Each(result, (run, emit) =>
        {
            foreach (var f in run.Metrics.Findings) emit(f.Kind, f.At.Seconds, null, f.Text);
        }),
        _ => throw new ArgumentException($"no tidy table '{table}'", nameof(table)),
    };
    }

    private static IEnumerable<TidyRow> Each(ExperimentResult result, Action<ReplicationResult, Action<string, double?, double?, string?>> rows)
    {
        var buffer = new List<TidyRow>();
        int run = 0;
        for (int p = 0; p < result.Points.Count; p++)
        {
            var point = result.Points[p];
            foreach (var r in point.Replications)
            {
                int runIndex = run, pointIndex = p;
                rows(r, (metric, time, value, text) =>
                    buffer.Add(new TidyRow(runIndex, point.Variant, pointIndex, r.Index, metric, Finite(time), Finite(value), text)));
                foreach (var row in buffer) yield return row;
                buffer.Clear();
                run++;
            }
        }
    }

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;
}
