using Lab.Sim.Time;

namespace Lab.Sim.Metrics;

/// <summary>
/// All metrics of one run, merged from every node's recorder in node order (so the result never
/// depends on which thread ran which node). Keys are sorted for stable output.
/// </summary>
public sealed class RunMetrics
{
    public Duration SeriesBin { get; }
    public SortedDictionary<string, double> Counters { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, double[]> Samples { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, double[]> Series { get; } = new(StringComparer.Ordinal);
    /// <summary>Scalars derived at the end of the run (e.g. throughput_tps over the measured window).</summary>
    public SortedDictionary<string, double> Scalars { get; } = new(StringComparer.Ordinal);
    public List<Finding> Findings { get; } = [];

    public RunMetrics(Duration seriesBin) => SeriesBin = seriesBin;

    public static RunMetrics Merge(Duration seriesBin, IEnumerable<MetricRecorder> recorders)
    {
        var m = new RunMetrics(seriesBin);
        var all = recorders as IReadOnlyCollection<MetricRecorder> ?? [.. recorders];
        // Samples: one array per name of exactly the total size, filled in node order (a run's samples
        // can be millions; growing a list to hold them copied each about twice).
        var sampleCounts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in all)
            foreach (var (k, v) in r.SampleValues) sampleCounts[k] = checked(sampleCounts.GetValueOrDefault(k) + v.Count);
        var filled = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (k, n) in sampleCounts) { m.Samples[k] = new double[n]; filled[k] = 0; }
        var series = new SortedDictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var r in all)
        {
            foreach (var (k, v) in r.CounterValues) m.Counters[k] = m.Counters.GetValueOrDefault(k) + v.Value;
            foreach (var (k, v) in r.SampleValues)
            {
                v.CopyTo(m.Samples[k], filled[k]);
                filled[k] += v.Count;
            }
            foreach (var (k, v) in r.SeriesBins)
            {
                if (!series.TryGetValue(k, out var bins)) series[k] = bins = [];
                while (bins.Count < v.Count) bins.Add(0);
                for (int i = 0; i < v.Count; i++) bins[i] += v[i];
            }
            m.Findings.AddRange(r.Findings);
        }
        foreach (var (k, v) in series) m.Series[k] = [.. v];
        // Stable sort: equal times keep node order.
        var ordered = m.Findings.OrderBy(f => f.At.Nanos).ToList();
        m.Findings.Clear();
        m.Findings.AddRange(ordered);
        return m;
    }

    public double Counter(string name) => Counters.GetValueOrDefault(name);
}
