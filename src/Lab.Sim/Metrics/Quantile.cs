using MathNet.Numerics.Statistics;

namespace Lab.Sim.Metrics;

/// <summary>
/// The lab's one definition of a percentile: linear interpolation between order statistics
/// (Hyndman–Fan type 7, the default of R, NumPy and Excel). Models that derive percentile scalars
/// and the report's summary use it alike, so a p99 means the same number everywhere.
/// </summary>
public static class Quantile
{
    /// <summary>The <paramref name="p"/>-quantile (p in [0, 1]) of values sorted ascending; NaN when there are none.</summary>
    public static double OfSorted(double[] sortedAscending, double p)
    {
        if (p is < 0 or > 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), "a quantile is in [0, 1]");
        return sortedAscending.Length == 0 ? double.NaN : SortedArrayStatistics.QuantileCustom(sortedAscending, p, QuantileDefinition.R7);
    }

    /// <summary>
    /// <see cref="OfSorted"/> of <paramref name="zeros"/> zeros followed by <paramref name="sortedPositive"/>, without
    /// making that array (a NIC's waits: most are zero, and there is one per message). The same arithmetic as
    /// MathNet's R7 (what <see cref="OfSorted"/> calls), reading the two order statistics it would read;
    /// a test holds the two equal bit for bit.
    /// </summary>
    public static double OfSortedAfterZeros(long zeros, double[] sortedPositive, double p)
    {
        if (p is < 0 or > 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), "a quantile is in [0, 1]");
        var n = checked((int)(zeros + sortedPositive.Length));
        if (n == 0) return double.NaN;
        double At(int i) => i < zeros ? 0d : sortedPositive[i - (int)zeros];
        if (p == 0d || n == 1) return At(0);
        if (p == 1d) return At(n - 1);
        double h = (n - 1) * p + 1d;
        var hf = (int)h;
        var lower = At(Math.Max(hf - 1, 0));
        var upper = At(Math.Min(hf, n - 1));
        return lower + (h - hf) * (upper - lower);
    }

    /// <summary>The <paramref name="p"/>-quantile of unsorted values (copied, then sorted).</summary>
    public static double Of(IReadOnlyList<double> values, double p)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return OfSorted(sorted, p);
    }

    /// <summary>
    /// The scalar name of a percentile of a sample metric: the unit stays last, so
    /// <c>Name("commit_latency_s", 0.99)</c> is <c>commit_latency_p99_s</c> (a name without a unit
    /// suffix just gets <c>_p99</c>).
    /// </summary>
    public static string Name(string sampleMetric, double p)
    {
        var pct = "p" + (p * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture).Replace('.', '_');
        var cut = sampleMetric.LastIndexOf('_');
        return cut > 0 && sampleMetric[(cut + 1)..] is "s" or "ms" or "tps" or "bytes" or "cny" or "usd"
            ? $"{sampleMetric[..cut]}_{pct}{sampleMetric[cut..]}"
            : $"{sampleMetric}_{pct}";
    }
}
