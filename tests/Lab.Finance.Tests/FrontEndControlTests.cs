using Lab.Finance.Calendars;
using Lab.Finance.Securities;
using Lab.Finance.Securities.Market;
using Lab.Finance.Securities.Regimes;

namespace Lab.Finance.Tests;

public class FrontEndControlTests
{
    // broker02 holds h shares; at 10:00 it buys h more from broker03, at 10:30 it tries to sell all 2h to broker04.
    private static (int Executed, int Rejected, double HoldingsRejections) Run(string market, SettlementRegime regime)
    {
        var start = market == "cn" ? new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8)) : new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(-4));
        var rules = MarketRules.Named(market);
        var clock = new RunClock(start);
        long At(int h, int m) => clock.NanosAt(new DateOnly(2026, 6, 1), new TimeOnly(h, m), rules.Calendar);
        var options = new SecuritiesOptions
        {
            Start = start,
            Market = market,
            Orders = new MarketOptions
            {
                Members = 4, Securities = 1, Trades = 1, OutagePerMemberDay = 0,
                BalanceSheet = new BalanceSheetOptions { CashDays = 1e6, InventoryDays = 1, MarketMakerInventoryDays = 1 },
            },
            Placement = new InstitutionPlacement { MemberRegions = ["shanghai"] },
            Settlement = new DeferredNetSettlement { Regime = regime, InstructionFailRate = 0 },
        };
        var h = SecuritiesWorld.Setup(options, rules, 1).Sheet.Holdings[1];
        Assert.True(h > 0 && h % rules.LotSize == 0);
        var tape = TradeTape.Of([new Trade(0, At(10, 0), 1, 2, 0, h, 1000), new Trade(1, At(10, 30), 3, 1, 0, 2 * h, 1000)]);
        var (_, run, r) = TestWorlds.Run(options, 1, tape: tape);
        return (r.Executed, r.Rejected, run.Metrics.Counter(SecuritiesMetrics.RejectedCounter("holdings")));
    }

    [Fact]
    public void China_rejects_the_sale_of_shares_bought_the_same_day_at_order_entry_the_US_accepts_it()
    {
        Assert.Equal((1, 1, 1.0), Run("cn", SettlementRegimes.CnChinaClear()));   // T+1 trading rule: only what was held overnight is sellable
        Assert.Equal((2, 0, 0.0), Run("us", SettlementRegimes.UsCns()));          // no front-end check: both trades clear
    }
}
