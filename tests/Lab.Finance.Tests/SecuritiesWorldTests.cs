using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Consensus.Raft;
using Lab.Consensus.Solo;
using Lab.Finance.Securities;
using Lab.Sim.Faults;
using Lab.Sim.Time;

namespace Lab.Finance.Tests;

public class SecuritiesWorldTests
{
    /// <summary>A small week: 6 members, 5 securities, 3,000 trades.</summary>
    private static SecuritiesOptions Small(SettlementVariant settlement, double inventory = 3.5) => new()
    {
        Market = new MarketOptions { Members = 6, Securities = 5, Trades = 3000 },
        Inventory = new InventoryOptions { CashMultiple = inventory, SecuritiesMultiple = inventory },
        Settlement = settlement,
    };

    [Fact]
    public void The_same_seed_gives_the_same_trades_in_both_variants_and_another_seed_does_not()
    {
        var t1 = TestWorlds.Run(Small(new DeferredNetSettlement()), 42);
        var chain = TestWorlds.Run(Small(new OnChainSettlement()), 42);
        Assert.Equal(t1.World.Tape.Trades, chain.World.Tape.Trades);
        Assert.Equal(t1.World.Opening.Cash, chain.World.Opening.Cash);
        Assert.Equal(t1.Run.Metrics.Series["trades_executed"], chain.Run.Metrics.Series["trades_executed"]);
        var other = TestWorlds.Run(Small(new DeferredNetSettlement()), 43);
        Assert.NotEqual(t1.World.Tape.Trades, other.World.Tape.Trades);
    }

    [Fact]
    public void Same_seed_and_variant_give_identical_results()
    {
        var a = TestWorlds.Run(Small(new OnChainSettlement { NettingWindow = Duration.FromMinutes(30) }), 7).Results.Scalars();
        var b = TestWorlds.Run(Small(new OnChainSettlement { NettingWindow = Duration.FromMinutes(30) }), 7).Results.Scalars();
        Assert.Equal(a, b);
    }

    [Fact]
    public void Actor_execution_gives_the_same_results_as_sequential_execution()
    {
        var options = Small(new OnChainSettlement { Prefunding = PrefundingPolicy.Queue }, inventory: 1.5);
        var sequential = TestWorlds.Run(options, 13).Results.Scalars();
        var actors = TestWorlds.Run(options, 13, mode: Lab.Sim.Kernel.ExecutionMode.Actors).Results.Scalars();
        Assert.Equal(sequential, actors);
        var t1 = Small(new DeferredNetSettlement(), inventory: 1.5);
        Assert.Equal(TestWorlds.Run(t1, 13).Results.Scalars(), TestWorlds.Run(t1, 13, mode: Lab.Sim.Kernel.ExecutionMode.Actors).Results.Scalars());
    }

    [Fact]
    public void Shorter_settlement_cycles_settle_sooner_and_on_chain_sooner_still()
    {
        double Median(SettlementVariant v) => TestWorlds.Run(Small(v, inventory: 10), 5).Results.SettlementTimeP50S;
        var t2 = Median(new DeferredNetSettlement { CycleDays = 2 });
        var t1 = Median(new DeferredNetSettlement { CycleDays = 1 });
        var t0 = Median(new DeferredNetSettlement { CycleDays = 0 });
        var atomic = Median(new OnChainSettlement());
        Assert.True(t2 > t1 && t1 > t0 && t0 > atomic, $"T+2 {t2}, T+1 {t1}, T+0 {t0}, atomic {atomic}");
        Assert.InRange(t1, 17 * 3600, 24 * 3600); // trades 09:30–15:00 settle next day 09:00
        Assert.True(atomic < 2, $"atomic DvP took {atomic} s");
    }

    [Fact]
    public void Netting_windows_trade_settlement_time_for_liquidity()
    {
        var atomic = TestWorlds.Run(Small(new OnChainSettlement(), inventory: 10), 3).Results;
        var hourly = TestWorlds.Run(Small(new OnChainSettlement { NettingWindow = Duration.FromHours(1) }, inventory: 10), 3).Results;
        Assert.Equal(0, atomic.NettingEfficiency);
        Assert.True(hourly.NettingEfficiency > 0.5, $"hourly netting efficiency {hourly.NettingEfficiency}");
        Assert.True(hourly.LiquidityNeededCny.Sum() < atomic.LiquidityNeededCny.Sum());
        Assert.True(hourly.SettlementTimeP50S > atomic.SettlementTimeP50S);
        Assert.Equal(hourly.Trades, hourly.Settled);
    }

    [Fact]
    public void Underfunded_members_cause_T_plus_1_fails_that_roll_and_on_chain_rejections_that_are_counted()
    {
        var t1 = TestWorlds.Run(Small(new DeferredNetSettlement(), inventory: 1), 11);
        var reject = TestWorlds.Run(Small(new OnChainSettlement(), inventory: 1), 11);
        var queue = TestWorlds.Run(Small(new OnChainSettlement { Prefunding = PrefundingPolicy.Queue }, inventory: 1), 11);
        Assert.True(t1.Results.FailRate > 0);
        // Failed obligations roll to the next settlement date, and some of them settle there.
        var log = (SecuritiesObserver)t1.World.Observers[0];
        Assert.Contains(Enumerable.Range(0, t1.Results.Trades), i => log.FailedOnce![i] && log.SettledAtNs![i] >= 0);
        Assert.True(reject.Results.RejectedPrefunding > 0);
        Assert.Equal(reject.Results.Trades - reject.Results.Settled, reject.Results.RejectedPrefunding);
        // Queued trades are retried and some settle later; rejected ones never do.
        Assert.True(queue.Results.Settled > reject.Results.Settled);
        Assert.True(queue.Results.SettlementTimeMaxS > 60);
    }

    [Fact]
    public void On_chain_DvP_stays_atomic_and_replicas_converge_when_a_replica_and_the_sequencer_crash_mid_flow()
    {
        var options = Small(new OnChainSettlement(), inventory: 1.5);
        // Tuesday 10:00 local: trading is under way; one replica is down for 20 minutes, the sequencer (solo orderer n0) for 2 minutes.
        var tuesday10 = new SimTime(Duration.FromHours(24 + 10).Nanos);
        ScheduledFault[] faults =
        [
            new(tuesday10, new Crash(NodeSelector.Named("n2")), Duration.FromMinutes(20)),
            new(tuesday10 + Duration.FromMinutes(5), new Crash(NodeSelector.Named("n0")), Duration.FromMinutes(2)),
        ];
        var (world, run, results) = TestWorlds.Run(options, 9, faults: faults, chain: TestWorlds.SevenReplicas(new SoloProtocol(new SoloOptions { HeadInterval = Duration.FromSeconds(5) })));
        Assert.Empty(world.Chain!.Violations);
        Assert.Equal(0, results.ConservationViolations);
        Assert.True(results.ReplicasAgree);
        Assert.Equal(2, run.Stats.Faults.Count);
        // Every trade either settled (both legs) or was rejected (neither); none lost in the crash.
        Assert.Equal(results.Trades, results.Settled + (int)results.RejectedPrefunding);
        // Trades executed while the sequencer was down waited for it: the slowest took at least a minute.
        Assert.True(results.SettlementTimeMaxS > 60, $"max settlement {results.SettlementTimeMaxS} s");
    }

    [Fact]
    public void A_crash_of_the_submitting_exchange_loses_no_trade_and_settles_none_twice()
    {
        var options = Small(new OnChainSettlement(), inventory: 10);
        // Crash 5 ms after a trade is submitted on Tuesday morning: its DvP is in flight (final after ~50 ms on the
        // seven PBFT replicas: three in Shanghai with the exchange, f+1 = 3 of them reply).
        var tape = TradeTape.Generate(options.Market, Lab.Finance.Calendars.BusinessCalendars.China2026(), new Lab.Finance.Calendars.RunClock(options.Start), 17);
        var victim = tape.Trades.First(t => t.ExecutedAtNs > Duration.FromHours(24 + 10).Nanos);
        var crash = new ScheduledFault[] { new(new SimTime(victim.ExecutedAtNs) + Duration.FromMillis(5), new Crash(NodeSelector.Named("exchange")), Duration.FromMinutes(3)) };
        var (world, run, crashed) = TestWorlds.Run(options, 17, faults: crash);
        var log = (SecuritiesObserver)world.Observers[0];
        Assert.True(log.SettledAtNs![victim.Index] >= victim.ExecutedAtNs + Duration.FromMinutes(3).Nanos, "the in-flight trade was resubmitted after the restart");
        var clean = TestWorlds.Run(options, 17).Results;
        Assert.Equal(crashed.Trades, crashed.Settled + (int)crashed.RejectedPrefunding);
        Assert.Equal(0, crashed.ConservationViolations);
        Assert.True(crashed.ReplicasAgree);
        // Trades executed while the exchange was down went through after its restart, minutes late.
        Assert.True(crashed.SettlementTimeMaxS > 60, $"max {crashed.SettlementTimeMaxS} s");
        Assert.True(clean.SettlementTimeMaxS < 60);
        Assert.Single(run.Stats.Faults);
    }

    [Fact]
    public void The_headline_reads_as_two_sentences_with_the_numbers()
    {
        var t1 = TestWorlds.Run(Small(new DeferredNetSettlement()), 1).Results;
        var chain = TestWorlds.Run(Small(new OnChainSettlement()), 1).Results;
        var text = SettlementHeadline.Compose(t1, chain);
        Assert.StartsWith("Under T+1 the median trade settled ", text);
        Assert.Contains(" h after execution; on-chain DvP settled in ", text);
        Assert.Contains("more cash on hand because netting was lost", text);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(text, @"\.(\s|$)").Count);
        Assert.Equal("18.4 h", SettlementHeadline.Human(18.4 * 3600));
        Assert.Equal("2.1 s", SettlementHeadline.Human(2.1));
        Assert.Equal("14 min", SettlementHeadline.Human(14 * 60));
    }
}

public class ChainSeamTests
{
    private static readonly SecuritiesOptions SmallMarket = new()
    {
        Market = new MarketOptions { Members = 4, Securities = 3, Trades = 500 },
        Settlement = new OnChainSettlement(),
    };

    /// <summary>The same market on the default seven PBFT replicas, run once for every protocol to compare with.</summary>
    private static readonly Lazy<SecuritiesResults> Reference = new(() => TestWorlds.Run(SmallMarket, 21).Results);

    // HotStuff is left out here: its pacemaker proposes a (possibly empty) block every view, so a chain idle through
    // a week of nights and weekends costs tens of millions of views. The experiment layer's tests run it on short runs.
    [Theory]
    [InlineData("raft")]
    [InlineData("solo")]
    [InlineData("pbft")]
    public void The_same_trades_settle_the_same_way_on_every_chain_protocol(string protocol)
    {
        ChainProtocol chain = protocol switch
        {
            // Heartbeats every 50 ms through a week would dominate the run: seconds apart, as a settlement chain would.
            "raft" => new RaftProtocol(new RaftOptions { Heartbeat = Duration.FromSeconds(5), ElectionTimeoutMin = Duration.FromSeconds(15), ElectionTimeoutMax = Duration.FromSeconds(30) }),
            "solo" => new SoloProtocol(new SoloOptions { HeadInterval = Duration.FromSeconds(5) }),
            _ => new PbftProtocol(new PbftOptions()),
        };
        var (world, run, results) = TestWorlds.Run(SmallMarket, 21, chain: TestWorlds.SevenReplicas(chain));
        var reference = Reference.Value;
        Assert.Equal(reference.Settled, results.Settled);
        Assert.Equal(reference.RejectedPrefunding, results.RejectedPrefunding);
        Assert.True(results.ReplicasAgree);
        Assert.Empty(world.Chain!.Violations);
        // The exchange submitted through the shared client: the chain's standard metrics are there.
        Assert.Equal(run.Metrics.Counter(StandardMetrics.SubmittedTx), run.Metrics.Counter(StandardMetrics.CommittedTx));
        Assert.True(run.Metrics.Scalars[StandardMetrics.Decisions] > 0);
    }

    [Fact]
    public void The_finality_rule_is_the_protocols_own()
    {
        var (world, _, _) = TestWorlds.Run(new SecuritiesOptions { Market = new MarketOptions { Members = 2, Securities = 1, Trades = 10 }, Settlement = new OnChainSettlement() }, 1);
        Assert.Equal("3 matching committed replies of 7 replicas (sent to the primary, to every replica on timeout)", world.Chain!.Finality.Describe(7));
    }
}
