using Lab.Finance.SupplyChain;
using Lab.Sim.Distributions;

namespace Lab.Finance.Tests.SupplyChain;

/// <summary>The report's "follow one payable": the trail of a hand-made payable on paper and on vouchers.</summary>
public class PayableTrailTests
{
    private const long Day = 86_400_000_000_000L;

    // One payable of 1,000,000.00 CNY, one supplier per tier: tier 1 passes 600,000.00 to tier 2 after a day and both ask for
    // cash two days after they have it, each from two banks; paper banks never refuse and take a day of due diligence.
    private static SupplyChainOptions HandMade(FinancingFlow flow) => new()
    {
        Flow = flow, Tiers = [1, 1], Banks = 2, Payables = 1, Face = new Constant(1_000_000), FanOut = 1, PassShare = 0.6,
        PassDelay = new Constant(86_400), FinancingDemand = 1, NeedDelay = new Constant(2 * 86_400), DoubleFinancing = 1,
        PaperRejection = [0, 0], PaperRate = [0.035, 0.065], PaperDueDiligenceDays = [1, 1],
    };

    [Fact]
    public void A_double_pledge_up_two_tiers_is_financed_twice_on_paper_and_refused_the_second_time_on_vouchers()
    {
        var (paperSpec, paperRun, _) = SupplyChainWorldTests.Run(HandMade(FinancingFlow.Paper), 11);
        var (chainSpec, chainRun, _) = SupplyChainWorldTests.Run(HandMade(FinancingFlow.Voucher), 11);
        var plan = paperSpec.Plan;
        var (t1, t2) = (plan.Claims[0], plan.Claims[1]);
        var p = plan.Payables[0];
        Assert.Equal((1, 2, 100_000_000L, 40_000_000L, 60_000_000L), (t1.Tier, t2.Tier, t1.Received, t1.Kept, t2.Received));
        Assert.Equal(PayableTrail.Path(plan, 0), [t1]);  // the first claim set on double financing ends the path

        // Institutions: core 0, t1s000 1, t2s000 2, bank1 3, bank2 4.
        Assert.Equal(["core", "t1s000", "t2s000", "bank1", "bank2"], PayableTrail.Institutions(plan.Options));
        var (first, second) = (3 + t1.FirstBank, 3 + t1.SecondBank);

        var paper = Trail(paperSpec, paperRun);
        var o = (SupplyChainObserver)paperSpec.Observers[0];
        var answers = o.Outcomes[0].Answers;
        // Both banks say yes; the one with the shorter due diligence answers first, and the receivable is paid to it.
        var (sooner, later) = t1.FirstDueDiligenceS <= t1.SecondDueDiligenceS ? (first, second) : (second, first);
        Assert.Equal(
        [
            new(p.IssuedAtNs, PayableStage.Confirmed, 0, 1, 100_000_000),
            new(t1.NeedAtNs, PayableStage.Asked, 1, first, 40_000_000),
            new(answers[0].AtNs, PayableStage.Financed, sooner, 1, answers[0].Proceeds),
            new(answers[1].AtNs, PayableStage.Financed, later, 1, answers[1].Proceeds),
            new(p.MaturityNs, PayableStage.Paid, 0, sooner, 40_000_000),
        ], paper);
        // Each bank answers after its own day of due diligence, and discounts at the tier-1 rate to maturity.
        foreach (var a in answers)
        {
            var dd = (long)((a.Which == 0 ? t1.FirstDueDiligenceS : t1.SecondDueDiligenceS) * 1e9);
            Assert.InRange(a.AtNs - t1.NeedAtNs - dd, 0, 1_000_000_000);
            Assert.InRange(a.Proceeds, 40_000_000 - 40_000_000 * 0.035 * (p.MaturityNs - t1.NeedAtNs) / (365.0 * Day) - 100, 40_000_000 - 1);
        }

        var chain = Trail(chainSpec, chainRun);
        Assert.Equal([PayableStage.Confirmed, PayableStage.Asked, PayableStage.Financed, PayableStage.Refused, PayableStage.Paid], chain.Select(s => s.Stage));
        Assert.Equal([(0, 1), (1, first), (first, 1), (second, 1), (0, first)], chain.Select(s => (s.Who, s.With)));
        Assert.Equal([100_000_000L, 40_000_000L, chain[2].Detail, 1L, 40_000_000L], chain.Select(s => s.Detail));
        // The voucher is issued and discounted within a second of the plan's moments, paid when its maturity payment is final.
        Assert.InRange(chain[0].AtNs - p.IssuedAtNs, 1, 1_000_000_000);
        Assert.InRange(chain[2].AtNs - t1.NeedAtNs, 1, 1_000_000_000);
        Assert.InRange(chain[4].AtNs - p.MaturityNs, 1, 1_000_000_000);
        Assert.Equal(VoucherContract.Price(40_000_000, 350, p.MaturityNs - t1.NeedAtNs), chain[2].Detail);
    }

    [Fact]
    public void Without_double_financing_the_path_climbs_to_the_top_tier_and_the_journey_samples_carry_it()
    {
        var o = HandMade(FinancingFlow.Paper) with { DoubleFinancing = 0 };
        var (spec, run, _) = SupplyChainWorldTests.Run(o, 11);
        var plan = spec.Plan;
        var (t1, t2) = (plan.Claims[0], plan.Claims[1]);
        Assert.Equal(PayableTrail.Path(plan, 0), [t1, t2]);
        var trail = Trail(spec, run);
        // Tier 1 asks for cash two days after it passed the part on, the moment tier 2 has had its part for two days.
        Assert.Equal(t1.NeedAtNs, t2.NeedAtNs);
        Assert.Equal([PayableStage.Confirmed, PayableStage.Passed, PayableStage.Asked, PayableStage.Asked, PayableStage.Financed, PayableStage.Financed, PayableStage.Paid, PayableStage.Paid],
            trail.Select(s => s.Stage));
        Assert.Equal(new PayableStep(t2.ReceivedAtNs, PayableStage.Passed, 1, 2, 60_000_000), trail[1]);
        // Tier 1 pays tier 2's bank one payment lag (30 days) after the core pays tier 1's bank at maturity.
        Assert.Equal(new PayableStep(plan.Payables[0].MaturityNs, PayableStage.Paid, 0, 3 + t1.FirstBank, 40_000_000), trail[^2]);
        Assert.Equal(new PayableStep(plan.Payables[0].MaturityNs + 30 * Day, PayableStage.Paid, 1, 3 + t2.FirstBank, 60_000_000), trail[^1]);

        var m = run.Metrics.Samples;
        Assert.Equal(trail.Count, m[SupplyChainMetrics.JourneyPayable].Length);
        Assert.Equal(trail.Select(s => (double)PayableTrail.WhoCode(s, 5)), m[SupplyChainMetrics.JourneyWho]);
        Assert.Equal(trail.Select(s => PayableTrail.FromWhoCode(PayableTrail.WhoCode(s, 5), 5)), trail.Select(s => (s.Who, s.With)));
    }

    private static List<PayableStep> Trail(SupplyChainWorldSpec spec, Lab.Sim.Kernel.RunResult run) =>
        PayableTrail.Of(spec.Plan, 0, (SupplyChainObserver)spec.Observers[0], run.Stats.FinalTime.Nanos);
}
