using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Consensus.Raft;
using Lab.Consensus.Solo;
using Lab.Finance.Securities;
using Lab.Finance.Securities.Regimes;
using Lab.Sim.Faults;
using Lab.Sim.Time;

namespace Lab.Finance.Tests;

public class SecuritiesWorldTests
{
    private static DeferredNetSettlement Regime(string name) => new() { Regime = SettlementRegimes.Named(name) };

    /// <summary>The fault-free run each crash case is compared with, run once per class rather than once per case.</summary>
    private sealed record CleanRun(SecuritiesOptions Options)
    {
        public Lazy<SecuritiesResults> Run { get; } = new(() => TestWorlds.Run(Options, 17).Results);
    }

    private static readonly CleanRun CleanDeferred = new(TestWorlds.Small(Regime("us-cns"), "us"));
    private static readonly CleanRun CleanOnChain = new(TestWorlds.Small(new OnChainSettlement(), "us"));

    [Fact]
    public void The_same_seed_gives_the_same_orders_prices_and_balance_sheets_in_every_variant_and_another_seed_does_not()
    {
        var t1 = TestWorlds.Run(TestWorlds.Small(Regime("us-cns"), "us"), 42);
        var chain = TestWorlds.Run(TestWorlds.Small(new OnChainSettlement(), "us"), 42);
        Assert.Equal(t1.World.Tape.Trades, chain.World.Tape.Trades);
        Assert.Equal(t1.World.Setup.Sheet.Cash, chain.World.Setup.Sheet.Cash);
        Assert.Equal(t1.World.Setup.Prices.CloseMinor(0, new DateOnly(2026, 6, 3)), chain.World.Setup.Prices.CloseMinor(0, new DateOnly(2026, 6, 3)));
        var other = TestWorlds.Run(TestWorlds.Small(Regime("us-cns"), "us"), 43);
        Assert.NotEqual(t1.World.Tape.Trades, other.World.Tape.Trades);
    }

    [Fact]
    public void Same_seed_and_variant_give_identical_results_and_actors_match_sequential_execution()
    {
        var options = TestWorlds.Small(Regime("us-cns"), "us", trades: 1500);
        var a = TestWorlds.Run(options, 7).Results.Scalars();
        Assert.Equal(a, TestWorlds.Run(options, 7).Results.Scalars());
        Assert.Equal(a, TestWorlds.Run(options, 7, mode: Lab.Sim.Kernel.ExecutionMode.Actors).Results.Scalars());
        var chain = TestWorlds.Small(new OnChainSettlement { NettingWindow = Duration.FromMinutes(30) }, "cn", trades: 1500);
        Assert.Equal(TestWorlds.Run(chain, 7).Results.Scalars(), TestWorlds.Run(chain, 7, mode: Lab.Sim.Kernel.ExecutionMode.Actors).Results.Scalars());
    }

    [Fact]
    public void Shorter_cycles_settle_sooner_and_china_delivers_securities_a_day_before_its_cash()
    {
        double Median(string market, SettlementVariant v) => TestWorlds.Run(TestWorlds.Small(v, market), 5).Results.SettlementTimeP50S;
        var t2 = Median("us", Regime("t2"));
        var t1 = Median("us", Regime("us-cns"));
        var t0 = Median("us", Regime("t0"));
        var chain = Median("us", new OnChainSettlement());
        Assert.True(t2 > t1 && t1 > t0 && t0 > chain, $"T+2 {t2}, T+1 {t1}, T+0 {t0}, on chain {chain}");
        // A US trade at 09:30–16:00 ET is final at 16:15 ET on S: about 24–31 h later, Friday's over the weekend.
        Assert.InRange(t1, 24 * 3600, 80 * 3600);
        var cn = TestWorlds.Run(TestWorlds.Small(Regime("cn-chinaclear"), "cn"), 5).Results;
        // China: shares at 17:00 on T (hours after the trade), cash at 16:00 on T+1 (a day later).
        Assert.InRange(Lab.Sim.Metrics.Quantile.OfSorted(cn.SecuritiesLegTimesS, 0.5), 2 * 3600, 8 * 3600);
        Assert.True(cn.SettlementTimeP50S > 24 * 3600);
        var us = TestWorlds.Run(TestWorlds.Small(Regime("us-cns"), "us"), 5).Results;
        // US: shares in the night cycle at 23:30 ET on T.
        Assert.InRange(Lab.Sim.Metrics.Quantile.OfSorted(us.SecuritiesLegTimesS, 0.5), 7.5 * 3600, 14 * 3600);
    }

    [Fact]
    public void Only_the_US_institutional_blocks_need_affirmation_exchange_trades_and_china_have_none()
    {
        var us = TestWorlds.Run(TestWorlds.Small(Regime("us-cns"), "us", trades: 6000), 9).Run.Metrics;
        var cn = TestWorlds.Run(TestWorlds.Small(Regime("cn-chinaclear"), "cn", trades: 6000), 9).Run.Metrics;
        var blocks = TestWorlds.Run(TestWorlds.Small(Regime("us-cns"), "us", trades: 6000), 9).World.Tape.Trades.Count(t => t.Kind == TradeKind.Block);
        Assert.True(blocks > 0);
        Assert.Equal(blocks, us.Counter("affirmed_by_cutoff") + us.Counter("affirmed_late"));
        Assert.Equal(0, cn.Counter("affirmed_by_cutoff") + cn.Counter("affirmed_late"));
    }

    [Fact]
    public void On_chain_a_matched_trade_is_never_cancelled_orders_without_cash_are_rejected_at_entry_instead()
    {
        // Thin wallets: little cash, no credit line, no morning funding.
        var options = TestWorlds.Small(new OnChainSettlement { MorningFunding = false }, "us") with
        {
            Orders = new MarketOptions { Members = 8, Securities = 5, Trades = 3000, BalanceSheet = new() { CashDays = 0.3, CreditLineDays = 0 } },
        };
        var r = TestWorlds.Run(options, 11);
        Assert.True(r.Run.Metrics.Counter(SecuritiesMetrics.RejectedCounter("cash")) > 0);
        Assert.Equal(0, r.Results.LockedButRefused);
        Assert.Equal(r.Results.Executed, r.Results.Settled);
        Assert.Equal(0, r.Results.ConservationViolations);
        Assert.True(r.Results.ReplicasAgree);
    }

    [Fact]
    public void On_chain_netting_windows_close_on_the_hour_in_the_markets_own_time_zone()
    {
        var (world, _, r) = TestWorlds.Run(TestWorlds.Small(new OnChainSettlement { NettingWindow = Duration.FromHours(1) }, "us", trades: 1500), 4);
        var setup = world.Setup;
        var obs = (SecuritiesObserver)world.Observers[0];
        foreach (var t in world.Tape.Trades.Where(t => obs.Records![t.Index].FinalNs >= 0))
        {
            var final = obs.Records![t.Index].FinalNs;
            var sinceMidnight = final - setup.Clock.MidnightNanos(setup.LocalDate(final), setup.Calendar);
            Assert.InRange(sinceMidnight % Duration.FromHours(1).Nanos, 0, Duration.FromSeconds(5).Nanos);   // batch final seconds after XX:00 ET
        }
        Assert.True(r.NettingEfficiency > 0.3);
    }

    [Fact]
    public void A_member_declared_insolvent_is_closed_out_through_the_waterfall_while_on_chain_it_is_only_frozen()
    {
        var at = new DateTime(2026, 6, 2, 11, 0, 0);
        var t1 = TestWorlds.Run(TestWorlds.Small(Regime("us-cns"), "us") with { InjectedDefaults = [(2, at)] }, 21);
        var ccp = ((SecuritiesObserver)t1.World.Observers[0]).Ccp!;
        var w = Assert.Single(ccp.Waterfalls);
        Assert.Equal(2, w.Defaulter);
        Assert.Equal(w.Loss, w.FromDefaulterMargin + w.FromDefaulterFund + w.FromSkinInTheGame + w.FromSurvivorsTotal + w.Uncovered);
        Assert.True(t1.Results.Defaulted > 0);
        // Survivors' trades stand: everything executed is final by the end (the defaulter's side closed out).
        Assert.Equal(t1.Results.Executed, t1.Results.Settled + t1.Results.Unsettled);
        Assert.Equal(0, t1.Results.Unsettled);
        var chain = TestWorlds.Run(TestWorlds.Small(new OnChainSettlement(), "us") with { InjectedDefaults = [(2, at)] }, 21);
        Assert.True(chain.Run.Metrics.Counter(SecuritiesMetrics.RejectedCounter("frozen")) > 0);
        Assert.Equal(0, chain.Results.Defaulted);
        Assert.Equal(chain.Results.Executed, chain.Results.Settled);
    }

    [Theory]
    [InlineData("exchange", 10.0, 20)]
    [InlineData("ccp", 23.49, 20)]          // down over Monday's night cycle
    [InlineData("ccp", 23.49, 600)]         // down from the night cycle to Tuesday 09:30: midnight's plan and the first day-cycle passes run late
    [InlineData("csd", 23.49, 20)]
    [InlineData("settlement-bank", 40.2, 20)]   // down over Tuesday's money settlement (16:15 ET = 40.25 h)
    [InlineData("broker03", 17.4, 20)]      // down over the end-of-day margin run and its projection
    [InlineData("regulator", 17.4, 20)]
    public void A_crash_of_any_deferred_net_institution_loses_no_trade(string node, double hoursFromStart, int minutesDown)
    {
        var options = CleanDeferred.Options;
        var clean = CleanDeferred.Run.Value;
        var crash = new ScheduledFault[] { new(new SimTime(Duration.FromHours(hoursFromStart).Nanos), new Crash(NodeSelector.Named(node)), Duration.FromMinutes(minutesDown)) };
        var (_, run, crashed) = TestWorlds.Run(options, 17, faults: crash);
        Assert.Single(run.Stats.Faults);
        Assert.Equal(clean.Executed, crashed.Executed);
        Assert.Equal(clean.Rejected, crashed.Rejected);
        Assert.Equal(crashed.Executed, crashed.Settled);
        Assert.Equal(0, crashed.Unsettled);
    }

    [Theory]
    [InlineData("exchange")]
    [InlineData("n0")]                // the PBFT primary of view 0: a view change
    [InlineData("n2")]                // a backup in Beijing
    [InlineData("broker02")]
    [InlineData("regulator")]
    public void A_crash_of_any_on_chain_participant_loses_no_trade_and_settles_none_twice(string node)
    {
        var options = CleanOnChain.Options;
        var clean = CleanOnChain.Run.Value;
        // Tuesday 10:00 ET: trading is under way.
        var crash = new ScheduledFault[] { new(new SimTime(Duration.FromHours(24 + 10).Nanos), new Crash(NodeSelector.Named(node)), Duration.FromMinutes(5)) };
        var (world, run, crashed) = TestWorlds.Run(options, 17, faults: crash);
        Assert.Single(run.Stats.Faults);
        Assert.Empty(world.Chain!.Violations);
        Assert.Equal(crashed.Executed, crashed.Settled);
        Assert.Equal(clean.Orders, crashed.Executed + crashed.Rejected);
        Assert.Equal(0, crashed.ConservationViolations);
        Assert.Equal(0, crashed.LockedButRefused);
        Assert.True(crashed.ReplicasAgree);
    }
}

public class ChainSeamTests
{
    // Two trading days, run to the on-chain end (noon the next business day): the idle chain's heartbeats cost little.
    private static readonly SecuritiesOptions SmallMarket = TwoDays(TestWorlds.Small(new OnChainSettlement(), "cn", trades: 500, members: 4));

    private static SecuritiesOptions TwoDays(SecuritiesOptions o) => o with { Orders = o.Orders with { TradingWindow = Duration.FromDays(2) } };

    private static readonly SimTime End = SecuritiesWorld.SuggestedEnd(SmallMarket);

    /// <summary>The same market on the default seven PBFT replicas, run once for every protocol to compare with.</summary>
    private static readonly Lazy<SecuritiesResults> Reference = new(() => TestWorlds.Run(SmallMarket, 21, End).Results);

    // HotStuff is left out here: its pacemaker proposes a (possibly empty) block every view, so a chain idle through
    // a week of nights and weekends costs tens of millions of views. The experiment layer's tests run it on short runs.
    [Theory]
    [InlineData("raft")]
    [InlineData("solo")]
    [InlineData("pbft")]
    public void The_same_orders_settle_the_same_way_on_every_chain_protocol(string protocol)
    {
        ChainProtocol chain = protocol switch
        {
            // Heartbeats every 50 ms through a week would dominate the run: seconds apart, as a settlement chain would.
            "raft" => new RaftProtocol(new RaftOptions { Heartbeat = Duration.FromSeconds(5), ElectionTimeoutMin = Duration.FromSeconds(15), ElectionTimeoutMax = Duration.FromSeconds(30) }),
            "solo" => new SoloProtocol(new SoloOptions { HeadInterval = Duration.FromSeconds(5) }),
            _ => new PbftProtocol(new PbftOptions()),
        };
        var (world, run, results) = TestWorlds.Run(SmallMarket, 21, End, chain: TestWorlds.SevenReplicas(chain));
        var reference = Reference.Value;
        // Balances are locked at entry from the venue's own view, so acceptance cannot depend on the protocol.
        Assert.Equal(reference.Executed, results.Executed);
        Assert.Equal(reference.Rejected, results.Rejected);
        Assert.Equal(results.Executed, results.Settled);
        Assert.Equal(0, results.LockedButRefused);
        Assert.True(results.ReplicasAgree);
        Assert.Empty(world.Chain!.Violations);
        // The exchange submitted through the shared client: the chain's standard metrics are there.
        Assert.Equal(run.Metrics.Counter(StandardMetrics.SubmittedTx), run.Metrics.Counter(StandardMetrics.CommittedTx));
        Assert.True(run.Metrics.Scalars[StandardMetrics.Decisions] > 0);
    }

    [Fact]
    public void The_finality_rule_is_the_protocols_own()
    {
        var (world, _, _) = TestWorlds.Run(TestWorlds.Small(new OnChainSettlement(), "cn", trades: 10, members: 4), 1);
        Assert.Equal("3 matching committed replies of 7 replicas (sent to the primary, to every replica on timeout)", world.Chain!.Finality.Describe(7));
    }
}
