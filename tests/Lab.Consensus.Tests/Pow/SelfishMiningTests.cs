using Lab.Consensus.Pow;
using Lab.Sim.Time;
using Xunit.Abstractions;

namespace Lab.Consensus.Tests.Pow;

public class SelfishMiningTests(ITestOutputHelper output)
{
    // One selfish pool with share α and four equal honest miners, fully meshed with 1 ms links and
    // a 600 s interval (propagation races are negligible). γ is the honest tie-switch probability.
    // The pool's share of main-chain blocks is compared with Eyal & Sirer's closed form (eq. 8);
    // ±0.03 absolute is about 4 standard deviations of a 6,000-block estimate (the pool's own
    // luck dominates: its mined share has σ ≈ 0.005 and revenue moves ≈ 1.5× as fast). Each case
    // has its own seed: with one seed the pool's draws are the same in every case and their luck
    // would be shared.
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(0.25, 0.0, 1ul)]
    [InlineData(0.25, 0.5, 2ul)]
    [InlineData(0.33, 0.0, 3ul)]
    [InlineData(0.33, 0.5, 4ul)]
    [InlineData(0.40, 0.0, 5ul)]
    [InlineData(0.40, 0.5, 6ul)]
    public void Selfish_pool_revenue_matches_Eyal_and_Sirer(double alpha, double gamma, ulong seed)
    {
        var options = PowTestWorld.Race(Duration.FromSeconds(600), 6000) with
        {
            TieSwitchProbability = gamma,
            Attack = new SelfishMiningAttack { HashShare = alpha },
        };
        var r = PowTestWorld.Run(options, nodes: 5, Duration.FromMillis(1), seed).Result;
        var revenue = r.Metrics.Scalars[PowMetrics.AttackerBlockShare];
        var expected = PowTheory.SelfishRevenue(alpha, gamma);
        output.WriteLine($"α={alpha} γ={gamma}: revenue {revenue:0.0000}, Eyal & Sirer {expected:0.0000}, stale_rate {r.Metrics.Scalars[PowMetrics.StaleRate]:0.000}");
        Assert.InRange(revenue, expected - 0.03, expected + 0.03);
        // Reward share follows block share (no fees here): the client's ledger agrees with the chain.
        Assert.Equal(revenue, r.Metrics.Scalars[PowMetrics.AttackerRewardShare], 9);
    }

    [Fact]
    public void An_honest_miner_with_the_same_share_earns_its_hash_share()
    {
        var options = PowTestWorld.Race(Duration.FromSeconds(600), 3000) with { TieSwitchProbability = 0.5 };
        var r = PowTestWorld.Run(options, nodes: 4, Duration.FromMillis(1), seed: 5).Result;
        var shares = r.Metrics.Samples[PowMetrics.MinerRewardShare];
        Assert.All(shares, s => Assert.InRange(s, 0.25 - 0.04, 0.25 + 0.04));
    }
}
