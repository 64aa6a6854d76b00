using Lab.Finance.Calendars;
using Lab.Finance.Securities;
using Lab.Finance.Securities.Clearing;
using Lab.Finance.Securities.Market;
using Lab.Finance.Securities.Regimes;
using Lab.Sim.Distributions;

namespace Lab.Finance.Tests;

public class MarginTests
{
    private static PriceModel Quiet(double marketVol = 0.18, double idioVol = 0.25) => new()
    {
        InitialPrice = new Constant(50),
        MarketVolatility = marketVol,
        IdiosyncraticVolatility = new Constant(idioVol),
        BetaSd = 0,
        MarketJumpsPerYear = 0,
        IdiosyncraticJumpsPerYear = 0,
        HalfSpread = 0,
    };

    [Fact]
    public void Value_at_risk_margin_nets_the_market_factor_of_a_hedged_book_but_not_its_idiosyncratic_risk()
    {
        var rules = MarketRules.UnitedStates();
        var prices = PricePath.Generate(Quiet(), rules, new RunClock(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(-4))), 2, 0, 1);
        var risk = new RiskEngine(SettlementRegimes.UsCns(), prices);
        long Mark(int s) => 5000;
        var z = 2.3263478740408408;                                  // Φ⁻¹(0.99)
        var sdMarket = 0.18 / Math.Sqrt(252);
        var sdIdio = 0.25 / Math.Sqrt(252);
        // Long 1,000 of security 0 (50,000.00 USD = 5,000,000 cents): one-sided, both risks add.
        long[] longOnly = [1000, 0];
        var expected = z * Math.Sqrt(2) * 5_000_000 * Math.Sqrt(sdMarket * sdMarket + sdIdio * sdIdio);
        Assert.Equal((long)Math.Ceiling(expected), risk.InitialMargin(longOnly, 0, Mark, 0));
        // Long 1,000 of security 0 and short 1,000 of security 1 (both beta 1): the market factor cancels.
        long[] hedged = [1000, -1000];
        var hedgedExpected = z * Math.Sqrt(2) * Math.Sqrt(2 * Math.Pow(5_000_000 * sdIdio, 2));
        Assert.Equal((long)Math.Ceiling(hedgedExpected), risk.InitialMargin(hedged, 0, Mark, 0));
        // The same two positions both long carry twice the market risk on top.
        Assert.True(risk.InitialMargin(hedged, 0, Mark, 0) < risk.InitialMargin([1000, 1000], 0, Mark, 0));
    }

    [Fact]
    public void The_clearing_fund_covers_the_two_largest_uncovered_stress_losses_shared_by_margin()
    {
        // Stress losses 900, 500, 100, 0 against margins 400, 200, 100, 300: uncovered 500, 300, 0, 0. Cover 2: 800,
        // shared by margin 4:2:1:3 = 320, 160, 80, 240.
        var fund = RiskEngine.ClearingFund([900, 500, 100, 0], [400, 200, 100, 300], cover: 2);
        Assert.Equal([320L, 160L, 80L, 240L], fund);
        Assert.Equal([200L, 100L, 50L, 150L], RiskEngine.ClearingFund([900, 500, 100, 0], [400, 200, 100, 300], cover: 1));
    }

    [Fact]
    public void A_price_shock_calls_intraday_margin_for_the_loss_and_an_unmet_call_is_a_default_closed_out_at_liquidation_prices()
    {
        // One trade: broker02 buys 10,000 shares of a $50.00 stock from broker03 on Monday 1 June at 10:00 ET. Prices are
        // flat (no volatility) except a −10% market shock on Tuesday at 11:00 ET: $45.00. Nobody has cash or credit.
        var start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(-4));
        var clock = new RunClock(start);
        var cal = BusinessCalendars.UnitedStates2026();
        var at = clock.NanosAt(new DateOnly(2026, 6, 1), new TimeOnly(10, 0), cal);
        var tape = TradeTape.Of([new Trade(0, at, 1, 2, 0, 10_000, 5000)]);
        var regime = SettlementRegimes.UsCns() with { StressMarketMove = 0, IntradayMarginChecks = [new TimeOnly(12, 0)] };
        var options = new SecuritiesOptions
        {
            Start = start,
            Market = "us",
            Orders = new MarketOptions
            {
                Members = 4, Securities = 1, Trades = 1,
                Prices = Quiet(0, 0) with { Shocks = [new MarketShock(new DateTime(2026, 6, 2, 11, 0, 0), -0.10)] },
                BalanceSheet = new BalanceSheetOptions { CashDays = 0, CreditLineDays = 0, InventoryDays = 0, MarketMakerInventoryDays = 0 },
                OutagePerMemberDay = 0,
            },
            Placement = new InstitutionPlacement { MemberRegions = ["shanghai"] },
            Settlement = new DeferredNetSettlement { Regime = regime, InstructionFailRate = 0 },
        };
        var (world, run, results) = TestWorlds.Run(options, 3, tape: tape);
        var ccp = ((SecuritiesObserver)world.Observers[0]).Ccp!;

        // 12:00: loss 10,000 × (50.00 − 45.00) = 50,000.00 USD since Monday's mark (no margin at zero volatility): a call
        // due 13:00; broker02 pays nothing and is declared in default at 13:00 (after the day-cycle run due at the same
        // moment completes: the CCP handles one operation at a time).
        var declared = clock.NanosAt(new DateOnly(2026, 6, 2), new TimeOnly(13, 0), cal);
        var finding = Assert.Single(run.Metrics.Findings, f => f.Text.StartsWith("broker02 did not meet", StringComparison.Ordinal));
        Assert.Equal("broker02 did not meet a intraday margin call of 50000 USD (paid 0)", finding.Text);
        Assert.InRange(ccp.Defaults[1].DeclaredNs, declared, declared + 1_000_000_000L);
        // Liquidation in two halves at Tuesday's and Wednesday's close at 45.00 × (1 − 0.2%) = 44.91: loss 2 × 5,000 × 5.09.
        var w = Assert.Single(ccp.Waterfalls);
        Assert.Equal(5_090_000, w.Loss);
        Assert.Equal(0, w.FromDefaulterMargin + w.FromDefaulterFund + w.FromSkinInTheGame + w.FromSurvivorsTotal);
        Assert.Equal(5_090_000, w.Uncovered);                            // nobody had posted anything: all uncovered
        Assert.True(results.Defaulted == 1 && results.MemberDefaults == 1);
    }
}
