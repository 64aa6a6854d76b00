using FsCheck;
using FsCheck.Xunit;
using Lab.Reports.Statistics;

namespace Lab.Reports.Tests;

public class StatisticsProperties
{
    [Property]
    public bool The_interval_holds_the_mean_and_the_percentiles_are_ordered(NonEmptyArray<NormalFloat> raw)
    {
        // Values of everyday magnitude: the law is about order, not about overflow at 1e308.
        var values = raw.Get.Select(f => Math.Clamp(f.Get, -1e9, 1e9)).ToArray();
        var m = MetricSummary.OfRuns(values);
        return m.Ci95Low <= m.Mean && m.Mean <= m.Ci95High
            && values.Min() <= m.P50 && m.P50 <= m.P90 && m.P90 <= m.P99 && m.P99 <= m.Max
            && m.Max == values.Max() && m.N == values.Length;
    }
}
