using Lab.Consensus.Pow;
using Lab.Sim.Time;
using Xunit.Abstractions;

namespace Lab.Consensus.Tests.Pow;

public class StaleRateTests(ITestOutputHelper output)
{
    // Ten equal miners, fully meshed, constant one-way latency L and no bandwidth limit: a block
    // reaches every other miner after τ = 3L (announce → getdata → block). A block goes stale when
    // one of the other miners (9/10 of the hash power) finds a competitor within τ, so
    // stale_rate ≈ 1 − exp(−0.9 τ/T) (Decker & Wattenhofer 2013). The approximation ignores
    // second-order forks while the network is split, so it runs a few percent low.
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(0.02, 8000)]
    [InlineData(0.05, 6000)]
    [InlineData(0.10, 5000)]
    public void Stale_rate_matches_one_minus_exp_of_minus_tau_over_T(double tauOverT, int blocks)
    {
        var interval = Duration.FromSeconds(10);
        var latency = Duration.FromSeconds(10 * tauOverT / 3);
        var r = PowTestWorld.Run(PowTestWorld.Race(interval, blocks), nodes: 10, latency, seed: 42).Result;
        var staleRate = r.Metrics.Scalars[PowMetrics.StaleRate];
        var expected = PowTheory.StaleRate(tauOverT, competingShare: 0.9);
        // Tolerance: 15% relative plus 3 binomial standard deviations of the stale count.
        var tolerance = 0.15 * expected + 3 * Math.Sqrt(expected / blocks);
        output.WriteLine($"τ/T={tauOverT}: stale_rate {staleRate:0.0000}, expected {expected:0.0000} ± {tolerance:0.0000}");
        Assert.InRange(staleRate, expected - tolerance, expected + tolerance);
    }

    [Fact]
    public void Without_propagation_delay_there_are_no_stale_blocks_and_with_it_there_are()
    {
        var fast = PowTestWorld.Run(PowTestWorld.Race(Duration.FromSeconds(10), 400), nodes: 5, Duration.FromMicros(1), seed: 3).Result;
        var slow = PowTestWorld.Run(PowTestWorld.Race(Duration.FromSeconds(10), 400), nodes: 5, Duration.FromSeconds(1), seed: 3).Result;
        Assert.Equal(0, fast.Metrics.Scalars[PowMetrics.StaleBlocks]);
        Assert.True(slow.Metrics.Scalars[PowMetrics.StaleBlocks] > 20, $"only {slow.Metrics.Scalars[PowMetrics.StaleBlocks]} stale blocks with τ/T = 0.3");
    }
}
