using Lab.Finance.Abs;
using Lab.Finance.Securities;

namespace Lab.Finance.Tests.Abs;

public class AbsHeadlineTests
{
    [Fact]
    public void The_headline_is_two_sentences_built_from_the_figures_only()
    {
        static Estimate E(double v) => Estimate.Exactly(v);
        var text = AbsHeadline.Compose(new AbsFigures
        {
            Traditional = "traditional", OnChain = "on-chain", Replications = 1, Periods = 12, PoolCny = 400e6,
            TraditionalEventMedianS = E(35 * 86400), OnChainEventMedianS = E(1800), TraditionalBreaks = E(6), TraditionalBreakFoundMedianS = E(30 * 86400),
            OnChainBreaks = E(0), OnChainMismatches = E(0), InterestA = E(11.8e6), PrincipalA = E(206e6), InterestB = E(1e6), PrincipalB = E(11.5e6),
            Residual = E(10.4e6), FactorA = E(0.395), SequentialShare = E(0), SequentialFromPaymentDate = E(double.NaN),
            TraditionalTradeMedianS = E(3.2 * 86400), OnChainTradeMedianS = E(0.246), TraditionalMisdirected = E(5.6e6),
        });
        Assert.Equal(
            "Under traditional (monthly servicer reports, reconciled by hand at each party) a loan event reached every party of the 400M CNY deal a median 35 days after it happened " +
            "and 6 reconciliation breaks surfaced a median 30 days late; under on-chain (every party's node runs the deal contract) it took a median 30 min, " +
            "with 0 breaks and 0 waterfall differences between replicas. " +
            "Over 12 monthly payment dates the waterfall paid class A 11.8M CNY interest and 206M CNY principal (factor 0.395), class B 1M CNY and 11.5M CNY, " +
            "and the subordinated holder 10.4M CNY of residual; principal stayed pro rata (no trigger breached); a unit trade reached the register a median 3.2 days " +
            "after it was agreed under traditional (5.6M CNY paid to sellers of units already sold) and 246 ms under on-chain.", text);
    }
}
