using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Finance.Chain;
using Lab.Finance.SupplyChain;
using Lab.Sim.Kernel;
using Lab.Sim.Time;

namespace Lab.Finance.Tests.SupplyChain;

/// <summary>Whole runs of the supply-chain world: paper against vouchers on the same seed.</summary>
public class SupplyChainWorldTests
{
    internal static SupplyChainOptions Small(FinancingFlow flow, int payables = 30, double doubles = 0.1) => new()
    {
        Flow = flow, Tiers = [4, 8, 12, 16], Banks = 3, Payables = payables, DoubleFinancing = doubles,
    };

    internal static (SupplyChainWorldSpec Spec, RunResult Run, SupplyChainResults Results) Run(SupplyChainOptions o, ulong seed)
    {
        var net = TestWorlds.ChinaThreeCities();
        var chain = o.Flow == FinancingFlow.Voucher
            ? new SettlementChain(new PbftProtocol(new PbftOptions()), new ChainOptions { Nodes = 4, Placement = ["shanghai", "shanghai", "beijing", "shenzhen"] })
            : null;
        var spec = SupplyChainWorld.Build(o, net, seed, chain);
        var end = SimTime.Zero + o.Horizon;
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = end, SeriesBin = Duration.FromDays(1) }, net, spec.Nodes);
        foreach (var obs in spec.Observers) sim.AddObserver(obs);
        var run = sim.Run();
        return (spec, run, spec.Derive(run));
    }

    [Fact]
    public void Paper_and_vouchers_see_the_same_payables_claims_and_financing_requests_for_a_seed_and_another_seed_differs()
    {
        var paper = Run(Small(FinancingFlow.Paper), 11);
        var chain = Run(Small(FinancingFlow.Voucher), 11);
        Assert.Equal(paper.Spec.Plan.Payables, chain.Spec.Plan.Payables);
        Assert.Equal(paper.Spec.Plan.Claims.Select(Key), chain.Spec.Plan.Claims.Select(Key));
        // The generated events actually happened in both runs: every holder that wanted cash asked for it, nobody else did.
        var seekers = paper.Spec.Plan.Claims.Where(c => c.SeeksFinancing).Select(c => c.Index).ToList();
        Assert.NotEmpty(seekers);
        Assert.Equal(seekers, paper.Spec.Observers.OfType<SupplyChainObserver>().Single().Outcomes.Keys);
        Assert.Equal(seekers, chain.Spec.Observers.OfType<SupplyChainObserver>().Single().Outcomes.Keys);
        Assert.Equal(paper.Results.DoubleAttempts, chain.Results.DoubleAttempts);
        Assert.True(paper.Results.DoubleAttempts > 0);

        var other = SupplyChainPlan.Generate(Small(FinancingFlow.Paper), 12);
        Assert.NotEqual(paper.Spec.Plan.Claims.Select(Key), other.Claims.Select(Key));
    }

    private static string Key(Claim c) =>
        $"{c.Payable}/{c.Tier}/{c.Holder}/{c.Parent}/{c.Received}/{c.Kept}/{c.ReceivedAtNs}/{c.PassAtNs}/{string.Join(",", c.Children)}/{c.SeeksFinancing}/{c.NeedAtNs}/{c.DoubleAttempt}/{c.FirstBank}/{c.SecondBank}";

    [Fact]
    public void On_chain_every_tier_is_financed_at_the_cores_rate_no_piece_twice_and_conservation_holds_after_every_block()
    {
        var (spec, run, r) = Run(Small(FinancingFlow.Voucher), 11);
        Assert.Equal(0, r.ConservationViolations);
        Assert.True(r.ReplicasAgree);
        Assert.Equal(0, r.DoubleFinanced);
        Assert.Equal(r.DoubleAttempts, r.DoubleStopped);
        foreach (var t in r.Tiers.Where(t => t.Seekers > 0))
        {
            Assert.Equal(t.Seekers, t.Financed);
            Assert.Equal(spec.Plan.Options.CoreRate, t.Cost, 9);
        }
        // Every voucher was paid at maturity.
        Assert.Equal(spec.Plan.Payables.Count, spec.Observers.OfType<SupplyChainObserver>().Single().PaidAt.Count);
        Assert.Equal(0, run.Metrics.Counter(Lab.Consensus.Common.StandardMetrics.SafetyViolations));
    }

    [Fact]
    public void On_paper_double_pledges_to_two_blind_banks_succeed_when_both_banks_say_yes()
    {
        var (spec, _, r) = Run(Small(FinancingFlow.Paper, payables: 60, doubles: 0.3), 5);
        Assert.True(r.DoubleAttempts > 10);
        Assert.Equal(0, r.DoubleStopped);
        // Both funded exactly when both banks' draws pass due diligence before maturity: the plan decides it, the run shows it.
        var expected = spec.Plan.Claims.Count(c => c.DoubleAttempt
            && spec.Plan.PaperDecision(c, 0, c.NeedAtNs).Funded && spec.Plan.PaperDecision(c, 1, c.NeedAtNs).Funded);
        Assert.True(expected > 0);
        Assert.InRange(r.DoubleFinanced, expected - 2, expected); // a message delay (ms) can push an answer past maturity at the margin
    }

    /// <summary>The paper rejection defaults set tier 1 at ≈ 99% financed (the core's acceptance) and tier 4 at ≈ 15%:
    /// the run's shares lie within 4 binomial standard deviations of that.</summary>
    [Fact]
    public void Paper_financed_shares_match_the_calibrated_rejection_rates_per_tier()
    {
        var o = Small(FinancingFlow.Paper, payables: 400, doubles: 0) with { Tiers = [10, 30, 60, 120] };
        var (_, _, r) = Run(o, 2026);
        foreach (var t in r.Tiers)
        {
            var p = 1 - o.PaperRejection[t.Tier - 1];
            var sd = Math.Sqrt(p * (1 - p) / t.Seekers);
            var share = (double)t.Financed / t.Seekers;
            Assert.True(t.Seekers > 100, $"tier {t.Tier}: only {t.Seekers} seekers");
            Assert.InRange(share, p - 4 * sd - 0.01, p + 4 * sd);
        }
    }
}
