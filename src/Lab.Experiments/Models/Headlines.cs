using Lab.Finance.Securities;
using Lab.Reports;
using Lab.Reports.Statistics;

namespace Lab.Experiments.Models;

/// <summary>What the finance scenarios' opening sentences (<see cref="IModel.Conclude"/>) do the same way: find the
/// traditional and the on-chain variant by the scalar each run records (0 or 1), and estimate a figure over a
/// variant's replications with its 95% interval.</summary>
public static class Headlines
{
    /// <summary>The first point whose first replication recorded <paramref name="onChainScalar"/> = 0 (traditional), and
    /// the first with 1 (on chain); null unless the experiment has both.</summary>
    public static (PointResult Traditional, PointResult OnChain)? Pair(IReadOnlyList<PointResult> points, string onChainScalar)
    {
        var t = points.FirstOrDefault(p => First(p, onChainScalar) == 0);
        var o = points.FirstOrDefault(p => First(p, onChainScalar) == 1);
        return t is null || o is null ? null : (t, o);
    }

    /// <summary>A scalar of a point's first replication (NaN: none).</summary>
    public static double First(PointResult p, string name) =>
        p.Replications.Count > 0 && p.Replications[0].Metrics.Scalars.TryGetValue(name, out var v) ? v : double.NaN;

    /// <summary>Mean and 95% t-interval (one value: exact; none: NaN). <paramref name="nonNegative"/>: the figure cannot
    /// be negative (a time, a share, money), so an interval reaching below 0 is clipped.</summary>
    public static Estimate Over(IReadOnlyList<double> values, bool nonNegative = false)
    {
        if (values.Count == 0) return Estimate.Exactly(double.NaN);
        if (values.Count == 1) return Estimate.Exactly(values[0]);
        var (mean, low, high) = MetricSummary.MeanWithInterval(values);
        return new Estimate(mean, nonNegative ? Math.Max(0, low) : low, high);
    }

    /// <summary>A scalar over a point's replications (runs that did not record it are left out).</summary>
    public static Estimate Of(PointResult p, string key, bool nonNegative = false) =>
        Over(p.Replications.Select(r => r.Metrics.Scalars.TryGetValue(key, out var v) ? v : double.NaN).Where(double.IsFinite).ToList(), nonNegative);
}
