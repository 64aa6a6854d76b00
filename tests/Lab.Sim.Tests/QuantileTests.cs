using Lab.Sim.Metrics;

namespace Lab.Sim.Tests;

public class QuantileTests
{
    [Fact]
    public void Percentiles_interpolate_between_order_statistics_as_R_type_7()
    {
        double[] sorted = [1, 2, 3, 4, 10];
        Assert.Equal(3, Quantile.OfSorted(sorted, 0.5));
        Assert.Equal(7.6, Quantile.OfSorted(sorted, 0.9), 12); // rank 3.6: 4 + 0.6 × 6
        Assert.Equal(10, Quantile.OfSorted(sorted, 1));
        Assert.True(double.IsNaN(Quantile.OfSorted([], 0.5)));
        Assert.Equal(3, Quantile.Of([10, 4, 3, 2, 1], 0.5));
    }

    [Theory]
    [InlineData("commit_latency_s", 0.99, "commit_latency_p99_s")]
    [InlineData("commit_latency_s", 0.5, "commit_latency_p50_s")]
    [InlineData("settlement_time_s", 0.999, "settlement_time_p99_9_s")]
    [InlineData("rumour_coverage", 0.9, "rumour_coverage_p90")]
    public void A_percentile_name_keeps_the_unit_last(string metric, double p, string expected) =>
        Assert.Equal(expected, Quantile.Name(metric, p));
}
