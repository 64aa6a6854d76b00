using Lab.Finance.Privacy;
using Lab.Finance.Securities;
using Lab.Sim.Time;

namespace Lab.Finance.Tests;

/// <summary>Who can read what on the settlement chain (issue 14 §6): the matrix is read from replica state, never asserted.</summary>
public class SecuritiesPrivacyTests
{
    private static readonly MarketNames Names = new(4, 2, "USD");

    /// <summary>A hand-made replica state holding one settled trade: broker01 buys 100 SEC002 from broker02; <paramref name="record"/> as stored.</summary>
    private static Func<string, object?> Replica(object? record)
    {
        var state = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            [SecuritiesPrivacy.StatusKey(0)] = 7L,
            [SecuritiesPrivacy.RecordKey(0)] = record,
            ["balance/SEC002/broker01"] = 100L,
        };
        return k => state.GetValueOrDefault(k);
    }

    private static readonly DvpInstruction Trade = new(0, Buyer: 0, Seller: 1, Security: 1, Quantity: 100, PriceMinor: 4_500);

    [Fact]
    public void A_trade_sealed_for_its_collection_gives_exactly_the_rules_and_a_leaked_one_is_caught()
    {
        var p = new SecuritiesPrivacy(Names, new Keyring(5));
        var good = p.Derive(Replica(p.Seal(Trade)), [Trade]);
        Assert.Empty(good.Differences(SecuritiesPrivacy.Expected));
        Assert.Equal(ReadLevel.HashOnly, good.Cell("other-broker", "trade"));
        Assert.Equal(ReadLevel.Read, good.Cell("regulator", "trade"));
        Assert.Equal(ReadLevel.HashOnly, good.Cell("csd", "trade"));

        // Leak 1: the record sealed also for broker03 (a competitor of both members).
        var leaked = SealedPayload.Seal("trade 0", ["broker01", "broker02", MarketNames.Exchange, MarketNames.Regulator, "broker03"], p.Keys, "leak");
        var wrong = p.Derive(Replica(leaked), [Trade]).Differences(SecuritiesPrivacy.Expected);
        Assert.Equal(["other-broker on trade: expected hash only, ledger gives read"], wrong);
        // Leak 2: the record stored in clear — everyone who holds a replica reads it.
        var plain = p.Derive(Replica("trade 0: broker01 buys 100 SEC002 from broker02"), [Trade]).Differences(SecuritiesPrivacy.Expected);
        Assert.Equal(3, plain.Count);   // other-broker, csd, settlement-bank
        // Leak 3: the regulator left out of the collection.
        var noRegulator = SealedPayload.Seal("trade 0", ["broker01", "broker02", MarketNames.Exchange], p.Keys, "x");
        Assert.Equal(["regulator on trade: expected read, ledger gives hash only"], p.Derive(Replica(noRegulator), [Trade]).Differences(SecuritiesPrivacy.Expected));
    }

    [Fact]
    public void A_small_on_chain_run_stores_every_trade_sealed_and_its_matrix_keeps_the_rules()
    {
        var options = TestWorlds.Small(new OnChainSettlement(), "cn", trades: 300, members: 4);
        options = options with { Orders = options.Orders with { TradingWindow = Duration.FromDays(1) } };
        var (_, run, results) = TestWorlds.Run(options, 21, SecuritiesWorld.SuggestedEnd(options));
        Assert.Empty(results.PrivacyBreaches);
        Assert.Equal(0, run.Metrics.Scalars["privacy_rule_breaches"]);
        Assert.Equal((int)ReadLevel.HashOnly, run.Metrics.Scalars["can_read.other-broker.trade"]);
        Assert.Equal((int)ReadLevel.Read, run.Metrics.Scalars["can_read.buyer.trade"]);
        Assert.Equal((int)ReadLevel.Read, run.Metrics.Scalars["can_read.other-broker.positions"]);   // public balances: the model's stated gap

        // Off: no records stored, no matrix.
        var (_, offRun, offResults) = TestWorlds.Run(options with { Privacy = false }, 21, SecuritiesWorld.SuggestedEnd(options));
        Assert.False(offRun.Metrics.Scalars.ContainsKey("can_read.buyer.trade"));
        Assert.Equal(results.SettlementTimesS, offResults.SettlementTimesS);   // the layer changes no timing
    }
}
