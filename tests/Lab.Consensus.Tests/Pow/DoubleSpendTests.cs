using Lab.Consensus.Pow;
using Lab.Sim.Time;
using Xunit.Abstractions;

namespace Lab.Consensus.Tests.Pow;

public class DoubleSpendTests(ITestOutputHelper output)
{
    // Attacker (share q) against two equal honest miners, one of them the merchant, 1 ms links and
    // a 600 s interval. The merchant delivers after k confirmations; success = its chain later
    // holds the attacker's conflicting block. Expected: Rosenfeld's race with the attacker giving
    // up D = k + 6 blocks behind (PowTheory.DoubleSpendSuccessWithGiveUp; within 0.002 of
    // Rosenfeld's formula for these q, k). Tolerance: 4 binomial standard deviations + 2 attempts.
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(0.1, 1, 20_000, 11ul)]
    [InlineData(0.1, 3, 40_000, 12ul)]
    [InlineData(0.1, 6, 60_000, 13ul)]
    [InlineData(0.3, 1, 8_000, 14ul)]
    [InlineData(0.3, 3, 20_000, 15ul)]
    [InlineData(0.3, 6, 40_000, 16ul)]
    public void Double_spend_success_matches_Rosenfeld(double q, int k, int blocks, ulong seed)
    {
        var giveUp = k + 6;
        var options = PowTestWorld.Race(Duration.FromSeconds(600), blocks) with
        {
            ConfirmationDepth = k,
            Attack = new DoubleSpendAttack { HashShare = q, GiveUpBehind = giveUp },
        };
        var r = PowTestWorld.Run(options, nodes: 3, Duration.FromMillis(1), seed).Result;
        var attempts = r.Metrics.Counter(PowMetrics.DoubleSpendAttempts);
        var successes = r.Metrics.Counter(PowMetrics.DoubleSpendSuccesses);
        var expected = PowTheory.DoubleSpendSuccessWithGiveUp(q, k, giveUp);
        var rosenfeld = PowTheory.DoubleSpendSuccess(q, k);
        var tolerance = 4 * Math.Sqrt(attempts * expected * (1 - expected)) + 2;
        output.WriteLine($"q={q} k={k}: {successes}/{attempts} = {successes / attempts:0.00000}; expected {expected:0.00000} (Rosenfeld {rosenfeld:0.00000}); ±{tolerance / attempts:0.00000}");
        Assert.True(attempts >= 500, $"only {attempts} attempts");
        Assert.InRange(successes, attempts * expected - tolerance, attempts * expected + tolerance);
        // Every published branch reversed a delivered payment at the merchant.
        Assert.Equal(r.Metrics.Counter(PowMetrics.DoubleSpendPublished), successes);
    }

    [Theory]
    [InlineData(0.1, 1)]
    [InlineData(0.3, 6)]
    [InlineData(0.45, 3)]
    public void The_give_up_race_tends_to_Rosenfeld_formula(double q, int k) =>
        Assert.Equal(PowTheory.DoubleSpendSuccess(q, k), PowTheory.DoubleSpendSuccessWithGiveUp(q, k, 400), 6);

    [Fact]
    public void Rosenfeld_formula_reproduces_his_published_values()
    {
        // Rosenfeld 2014, table: q = 10%, 1 confirmation: 20%; q = 30%, 1 confirmation: 60%.
        Assert.Equal(0.2, PowTheory.DoubleSpendSuccess(0.1, 1), 9);
        Assert.Equal(0.6, PowTheory.DoubleSpendSuccess(0.3, 1), 9);
        Assert.Equal(1.0, PowTheory.DoubleSpendSuccess(0.5, 6), 9);
    }
}
