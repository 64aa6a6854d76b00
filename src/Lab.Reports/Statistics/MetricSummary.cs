using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace Lab.Reports.Statistics;

/// <summary>
/// One metric at one point, summarised over its replications.
/// <para><see cref="Mean"/>, <see cref="Ci95Low"/> and <see cref="Ci95High"/> are always across
/// replications: the mean of the per-run values and its two-sided 95% Student-t interval
/// (mean ± t(0.975, n−1) · s / √n, s the sample standard deviation). With n = 1 there is no spread to
/// estimate, so the interval collapses to the mean (low = high = mean) rather than being infinite.</para>
/// <para>The percentiles and the maximum describe the distribution the metric measures: for a sample
/// metric (latencies, settlement times) they are over every pooled sample of every replication; for a
/// counter or scalar they are over the per-run values. Percentiles use linear interpolation between
/// order statistics (Hyndman–Fan type 7, the default of R, NumPy and Excel).</para>
/// </summary>
public sealed record MetricSummary(double Mean, double Ci95Low, double Ci95High, double P50, double P90, double P99, double Max, int N)
{
    /// <summary>Summarises a counter or scalar: everything is over the per-run values.</summary>
    public static MetricSummary OfRuns(IReadOnlyList<double> perRun) => Of(perRun, perRun);

    /// <summary>
    /// Summarises a metric whose per-run values are <paramref name="perRun"/> (for a sample metric, each
    /// run's mean) and whose distribution is <paramref name="distribution"/> (for a sample metric, all
    /// samples pooled; otherwise the per-run values again).
    /// </summary>
    public static MetricSummary Of(IReadOnlyList<double> perRun, IReadOnlyList<double> distribution)
    {
        if (perRun.Count == 0) throw new ArgumentException("a metric summary needs at least one run", nameof(perRun));
        var (mean, low, high) = MeanWithInterval(perRun);
        var sorted = (distribution.Count > 0 ? distribution : perRun).ToArray();
        Array.Sort(sorted);
        return new MetricSummary(mean, low, high,
            Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99), sorted[^1], perRun.Count);
    }

    /// <summary>Mean and two-sided 95% Student-t interval; with one value the interval is the value itself.</summary>
    public static (double Mean, double Low, double High) MeanWithInterval(IReadOnlyList<double> values)
    {
        var mean = values.Mean();
        if (values.Count < 2) return (mean, mean, mean);
        var sd = values.StandardDeviation(); // sample (n − 1) standard deviation
        var t = StudentT.InvCDF(0, 1, values.Count - 1, 0.975);
        var half = t * sd / Math.Sqrt(values.Count);
        // A zero spread gives exactly the mean, not mean ± 0 with rounding noise.
        return half == 0 ? (mean, mean, mean) : (mean, mean - half, mean + half);
    }

    /// <summary>Type-7 percentile of an ascending array (<paramref name="p"/> in [0, 1]).</summary>
    public static double Percentile(double[] sortedAscending, double p) =>
        SortedArrayStatistics.QuantileCustom(sortedAscending, p, QuantileDefinition.R7);
}
