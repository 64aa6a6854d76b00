using Lab.Finance.Securities;

namespace Lab.Finance.Tests;

public class SettlementHeadlineTests
{
    [Fact]
    public void The_headline_gives_every_figure_with_its_interval_and_says_as_much_not_more()
    {
        var f = new HeadlineFigures
        {
            Traditional = "t+1",
            OnChain = "on-chain",
            Currency = "USD",
            Replications = 3,
            TraditionalMedianS = new Estimate(28.4 * 3600, 28.0 * 3600, 28.8 * 3600),
            OnChainMedianS = new Estimate(0.2045, 0.2044, 0.2046),
            TraditionalCash = new Estimate(57.9e6, 3.4e6, 112.4e6),
            OnChainCash = new Estimate(67.2e6, 9.2e6, 125.3e6),
            CashRatio = new Estimate(1.16, 1.02, 1.31),
            TraditionalCost = new Estimate(70_865, 3_096, 138_634),
            OnChainCost = new Estimate(84_461, 13_258, 155_665),
            TraditionalRejected = Estimate.Exactly(0),
            OnChainRejected = new Estimate(0.0028, -0.0064, 0.012),
            TraditionalFailed = new Estimate(0.0037, -0.0006, 0.0079),
            TraditionalFailedValue = new Estimate(0.0148, -0.0027, 0.0322),
            TraditionalBoughtIn = Estimate.Exactly(0),
            TraditionalDefaulted = Estimate.Exactly(0),
            OnChainFailed = Estimate.Exactly(0),
            OnChainDefaulted = Estimate.Exactly(0),
        };
        Assert.Equal(
            "Under t+1 the median trade settled 28.4 h [28, 28.8] after execution; on-chain settled in 205 ms [204, 205]. " +
            "Members committed 1.2× [1.0, 1.3] as much cash on chain (prefunding before purchases: 67.2M USD) as under t+1 " +
            "(margin, clearing fund and net settlement debits: 57.9M USD); with credit, borrowing, penalties and buy-ins that cost " +
            "84.5k USD on chain and 70.9k USD under t+1 over the run. " +
            "Rejected at order entry: 0.28% [0%, 1.2%] of orders on chain, 0% under t+1; under t+1 0.37% [0%, 0.79%] of trades failed " +
            "at least once (1.5% [0%, 3.2%] of the value of net positions due), 0% were bought in and 0% had a defaulting side; " +
            "on chain none failed and none defaulted.",
            SettlementHeadline.Compose(f));
    }

    [Fact]
    public void Durations_read_in_the_unit_a_person_would_use_and_money_with_a_magnitude()
    {
        Assert.Equal("18.4 h", SettlementHeadline.Human(18.4 * 3600));
        Assert.Equal("2.1 s", SettlementHeadline.Human(2.1));
        Assert.Equal("14 min", SettlementHeadline.Human(14 * 60));
        Assert.Equal("3.3 days", SettlementHeadline.Human(3.28 * 86400));
        Assert.Equal("238 ms", SettlementHeadline.Human(new Estimate(0.238, 0.2381, 0.2379)));
        Assert.Equal("4.1M USD", SettlementHeadline.Money(4.1e6, "USD"));
        Assert.Equal("830k CNY", SettlementHeadline.Money(830_000, "CNY"));
    }
}
