using Lab.Sim.Metrics;

namespace Lab.Reports.Statistics;

/// <summary>
/// The values one run contributes to the summary: one number per metric (<see cref="Values"/>) and,
/// for sample metrics, the run's samples (<see cref="Samples"/>).
/// <para>Sources, later ones winning on a name clash: kernel statistics (<c>events_total</c>,
/// <c>messages_total</c>, <c>bytes_total</c>, <c>messages_dropped</c>, <c>cpu_utilisation</c> = mean
/// over nodes), then rates derived from series (<see cref="DerivedRates"/>) and
/// <c>safety_violations</c> counted from findings, then sample metrics (per-run value = the run's
/// mean), then counters, then scalars. So a model that records its own scalar always wins.</para>
/// </summary>
public sealed class RunValues
{
    /// <summary>
    /// Series whose total over the measured window, divided by the window's length, gives a rate
    /// metric; derived only when the model did not record a counter or scalar of that name.
    /// </summary>
    public static readonly IReadOnlyList<(string Series, string Metric)> DerivedRates =
    [
        ("committed_tx", "throughput_tps"),
        ("rumours_heard", "rumours_heard_per_s"),
    ];

    /// <summary>Finding kinds starting with this are safety violations (counted into <c>safety_violations</c>).</summary>
    /// <summary>
    /// Samples that carry followed items' trails step by step (the report's "follow one …" sections): codes, indices and
    /// times in step order, not a distribution, so they stay in metrics/samples.csv and get no mean or percentiles.
    /// </summary>
    public const string TrailPrefix = "journey_";

    public const string SafetyFindingPrefix = KernelMetrics.SafetyFinding;

    public SortedDictionary<string, double> Values { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, double[]> Samples { get; } = new(StringComparer.Ordinal);

    /// <param name="warmupSeconds">Series bins starting before this are left out of derived rates.</param>
    /// <param name="countSafety">Emit <c>safety_violations</c> (also when zero) for this run.</param>
    public static RunValues Of(ReplicationResult run, double warmupSeconds, bool countSafety)
    {
        var v = new RunValues();
        var s = run.Stats;
        v.Values[KernelMetrics.EventsTotal] = s.EventsProcessed;
        v.Values[KernelMetrics.MessagesTotal] = s.MessagesSent;
        v.Values[KernelMetrics.BytesTotal] = s.BytesSent;
        v.Values[KernelMetrics.MessagesDropped] = s.MessagesDropped;
        if (s.CpuUtilisation.Count > 0) v.Values[KernelMetrics.CpuUtilisation] = InOrderMean(s.CpuUtilisation);

        var m = run.Metrics;
        foreach (var (series, metric) in DerivedRates)
            if (m.Series.TryGetValue(series, out var bins) && MeasuredRate(bins, m, run, warmupSeconds) is { } rate)
                v.Values[metric] = rate;
        if (countSafety)
            v.Values[KernelMetrics.SafetyViolations] = m.Findings.Count(f => f.Kind.StartsWith(SafetyFindingPrefix, StringComparison.Ordinal));

        foreach (var (name, samples) in m.Samples)
        {
            // A run that recorded no sample of this metric contributes nothing to it (n counts runs with samples).
            if (samples.Length == 0 || name.StartsWith(TrailPrefix, StringComparison.Ordinal)) continue;
            v.Values[name] = InOrderMean(samples);
            v.Samples[name] = samples;
        }
        foreach (var (name, value) in m.Counters) Override(v, name, value);
        foreach (var (name, value) in m.Scalars) Override(v, name, value);
        return v;
    }

    /// <summary>
    /// Mean summed strictly left to right. LINQ's Sum/Average may vectorise, and a different summation
    /// order on a machine with wider vectors would change the last bits of summary.json.
    /// </summary>
    public static double InOrderMean(IReadOnlyList<double> values)
    {
        double total = 0;
        for (int i = 0; i < values.Count; i++) total += values[i];
        return total / values.Count;
    }

    private static void Override(RunValues v, string name, double value)
    {
        v.Values[name] = value;
        v.Samples.Remove(name);
    }

    /// <summary>
    /// Sum of the bins that start at or after the warm-up (rounded up to a bin boundary), divided by
    /// the time from that boundary to the run's end. Null when the window is empty.
    /// </summary>
    public static double? MeasuredRate(double[] bins, RunMetrics metrics, ReplicationResult run, double warmupSeconds)
    {
        var binSeconds = metrics.SeriesBin.TotalSeconds;
        if (binSeconds <= 0) return null;
        var first = (int)Math.Ceiling(Math.Max(0, warmupSeconds) / binSeconds - 1e-9);
        var window = run.Stats.FinalTime.Seconds - first * binSeconds;
        if (window <= 0) return null;
        double total = 0;
        for (int i = first; i < bins.Length; i++) total += bins[i];
        return total / window;
    }
}
