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

    /// <summary>Zeros plus sorted positives gives, bit for bit, what the materialised array gives.</summary>
    [Fact]
    public void Quantile_after_zeros_equals_the_quantile_of_the_whole_array()
    {
        var random = new Random(11);
        double[] ps = [0, 1e-9, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1];
        for (int round = 0; round < 400; round++)
        {
            var zeros = random.Next(4) == 0 ? 0 : random.Next(0, 300);
            var positive = Enumerable.Range(0, random.Next(0, 50)).Select(_ => random.NextDouble() * 1e-3 + 1e-12).Order().ToArray();
            var all = new double[zeros + positive.Length];
            positive.CopyTo(all, zeros);
            foreach (var p in ps.Append(random.NextDouble()))
                Assert.Equal(BitConverter.DoubleToInt64Bits(Quantile.OfSorted(all, p)), BitConverter.DoubleToInt64Bits(Quantile.OfSortedAfterZeros(zeros, positive, p)));
        }
    }

    [Theory]
    [InlineData("commit_latency_s", 0.99, "commit_latency_p99_s")]
    [InlineData("commit_latency_s", 0.5, "commit_latency_p50_s")]
    [InlineData("settlement_time_s", 0.999, "settlement_time_p99_9_s")]
    [InlineData("rumour_coverage", 0.9, "rumour_coverage_p90")]
    public void A_percentile_name_keeps_the_unit_last(string metric, double p, string expected) =>
        Assert.Equal(expected, Quantile.Name(metric, p));
}
