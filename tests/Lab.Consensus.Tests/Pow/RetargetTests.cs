using Lab.Consensus.Pow;
using Lab.Sim.Time;
using Xunit.Abstractions;

namespace Lab.Consensus.Tests.Pow;

public class RetargetTests(ITestOutputHelper output)
{
    [Fact]
    public void Retargeting_brings_the_interval_back_to_target_after_hash_power_doubles()
    {
        // Epochs of 100 blocks at a 600 s target; every miner's hash rate doubles at the start of
        // epoch 3 (t = 300 × 600 s). That epoch runs at about half the interval; the next retarget
        // doubles the difficulty and the following epochs are back at the target.
        var interval = Duration.FromSeconds(600);
        var options = PowTestWorld.Race(interval, 800) with
        {
            RetargetWindow = 100,
            HashRateSteps = [new HashRateStep(SimTime.Zero + interval * 300, 2.0)],
        };
        var (_, run, r) = PowTestWorld.Run(options, nodes: 5, Duration.FromMillis(1), seed: 9);
        var chain = run.MainChain;
        double Mean(int from, int to) => (chain[to].MinedAt - chain[from].MinedAt).TotalSeconds / (to - from);
        var before = Mean(100, 300);
        var after = Mean(500, 800);
        var difficulty = chain[800].Difficulty;
        var doublingEpoch = Mean(chain.Select((b, i) => (b, i)).First(x => x.b.MinedAt >= SimTime.Zero + interval * 300).i, 400);
        output.WriteLine($"interval before {before:0} s, in the doubling epoch {doublingEpoch:0} s, after {after:0} s; difficulty {difficulty:0.00}");
        // ±20% on a mean of 200–300 exponential intervals is more than 3 standard deviations.
        Assert.InRange(before, 480, 720);
        Assert.InRange(doublingEpoch, 200, 420);
        Assert.InRange(after, 480, 720);
        Assert.InRange(difficulty, 1.6, 2.5);
    }

    [Fact]
    public void Without_retargeting_the_interval_stays_halved_after_hash_power_doubles()
    {
        var interval = Duration.FromSeconds(600);
        var options = PowTestWorld.Race(interval, 600) with
        {
            RetargetWindow = 0,
            HashRateSteps = [new HashRateStep(SimTime.Zero + interval * 200, 2.0)],
        };
        var (_, run, _) = PowTestWorld.Run(options, nodes: 5, Duration.FromMillis(1), seed: 9);
        var chain = run.MainChain;
        var after = (chain[600].MinedAt - chain[400].MinedAt).TotalSeconds / 200;
        Assert.InRange(after, 240, 360);
        Assert.Equal(1.0, chain[600].Difficulty);
    }
}
