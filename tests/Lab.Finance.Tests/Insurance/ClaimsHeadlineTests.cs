using Lab.Finance.Insurance;
using Lab.Finance.Securities;

namespace Lab.Finance.Tests.Insurance;

public class ClaimsHeadlineTests
{
    [Fact]
    public void The_two_sentences_are_composed_from_the_figures_alone()
    {
        static Estimate E(double v) => Estimate.Exactly(v);
        var text = ClaimsHeadline.Compose(new ClaimsFigures
        {
            Traditional = "paper", OnChain = "on-chain", Replications = 1,
            TraditionalMedianS = E(3.5 * 86400), TraditionalWithin14d = E(0.93), TraditionalWithin30d = E(0.98), TraditionalVisitMedianS = E(7 * 86400),
            OnChainMedianS = E(2 * 3600), OnChainP90S = E(3 * 86400), AutoShare = E(0.76),
            TraditionalCost = E(66.7), OnChainCost = E(12.4), RefusedNoConsent = E(109), Claims = E(1000), EvidenceFailed = E(0), CostPerTouch = 30,
        });
        Assert.Equal(
            "Under paper (paper claims, manual review in office hours, a daily payment batch) a claim was paid a median 3.5 days after it was filed " +
            "(93% within 14 days and 98% within 30; AHIP: 93% and 98%) and 7 days after the visit; under on-chain 76% of claims were paid without a human touch " +
            "and a claim was paid a median 2 h after the visit record left the hospital (90th percentile 3 days; the bank pays in its hours on banking days). " +
            "Manual work cost 66.7 CNY per claim on paper and 12.4 CNY on chain (assumption: 30 CNY per manual touch); the contract refused 109 of 1,000 claims " +
            "for missing consent (those customers filed on paper), and every visit record the insurer received matched its anchored Merkle root.", text);
    }
}
