using Lab.Finance.Securities.Clearing;
using Lab.Sim.Metrics;

namespace Lab.Finance.Securities;

/// <summary>
/// The figures of one securities run, derived at its end from the institutions' records, the tape
/// and the metrics. Money in currency units (not minor units); times in seconds. Rejected, failed,
/// bought-in and defaulted trades are counted separately in every variant.
/// </summary>
public sealed record SecuritiesResults
{
    public required string Variant { get; init; }
    public required bool OnChain { get; init; }
    public required string Currency { get; init; }
    public required int Orders { get; init; }
    public required int Executed { get; init; }
    public required int Rejected { get; init; }
    public required int Settled { get; init; }
    public required int Failed { get; init; }
    public required int BoughtIn { get; init; }
    public required int Defaulted { get; init; }
    public required int Unsettled { get; init; }
    /// <summary>Execution → both legs final, seconds, ascending (settled trades).</summary>
    public required double[] SettlementTimesS { get; init; }
    /// <summary>Execution → securities leg complete for both sides, seconds, ascending.</summary>
    public required double[] SecuritiesLegTimesS { get; init; }
    /// <summary>Final time after the scheduled money settlement, seconds (deferred net only; 0 for on time).</summary>
    public double[] LatenessS { get; init; } = [];
    public double SettlementTimeP50S => Quantile.OfSorted(SettlementTimesS, 0.50);
    public double SettlementTimeP90S => Quantile.OfSorted(SettlementTimesS, 0.90);
    public double SettlementTimeP99S => Quantile.OfSorted(SettlementTimesS, 0.99);
    public double SettlementTimeMaxS => SettlementTimesS.Length == 0 ? double.NaN : SettlementTimesS[^1];
    /// <summary>Notional of executed, not yet final trades at the end of each series bin, and its exact peak.</summary>
    public required double[] ExposureNotional { get; init; }
    public required double ExposurePeak { get; init; }
    /// <summary>Replacement cost (the CCP's loss if every member with a loss on its open positions defaulted at once,
    /// before margin) at each bin, and its peak.</summary>
    public required double[] ExposureReplacement { get; init; }
    public required double ReplacementPeak { get; init; }
    /// <summary>Peak over the CCP's risk runs of the members' losses beyond the margin they had posted (what a default at that
    /// moment would have taken from the clearing fund and beyond).</summary>
    public double UncollateralisedPeak { get; init; }
    /// <summary>Per member: cash committed (see <see cref="SecuritiesMetrics.LiquidityCommitted"/>).</summary>
    public required double[] LiquidityCommitted { get; init; }
    public double LiquidityCommittedTotal => LiquidityCommitted.Sum();
    /// <summary>Total committed over the market's average daily traded value.</summary>
    public required double LiquidityCommittedDays { get; init; }
    public double MarginPeak { get; init; }
    public double ClearingFundPeak { get; init; }
    public double SettlementDebitPeak { get; init; }
    public double CreditDrawnPeak { get; init; }
    /// <summary>Deferred net: the most the CCP had borrowed on its liquidity facility at once.</summary>
    public double FacilityPeak { get; init; }
    public required double FundingCost { get; init; }
    public double BorrowCost { get; init; }
    public double Penalties { get; init; }
    public double BuyInCost { get; init; }
    public required double TradedValue { get; init; }
    public required double NettingEfficiency { get; init; }
    public required double FailRateValue { get; init; }
    public double DefaultLoss { get; init; }
    public IReadOnlyList<WaterfallOutcome> Waterfalls { get; init; } = [];
    public int MemberDefaults { get; init; }
    /// <summary>On chain: committed transactions per second over the series bins that saw commits (nights and
    /// weekends excluded; the chain's standard <c>throughput_tps</c> averages over the whole run).</summary>
    public double ThroughputActiveTps { get; init; }
    /// <summary>On chain: committed transactions per second in the busiest series bin.</summary>
    public double ThroughputPeakTps { get; init; }
    public long ConservationViolations { get; init; }
    public long LockedButRefused { get; init; }
    /// <summary>On chain: every replica at the same height has the same state digest (null off chain).</summary>
    public bool? ReplicasAgree { get; init; }
    /// <summary>On chain with privacy: cells of the who-can-read matrix that break <see cref="SecuritiesPrivacy.Expected"/>.</summary>
    public IReadOnlyList<string> PrivacyBreaches { get; init; } = [];
    public required IReadOnlyList<string> MemberNames { get; init; }
    /// <summary>An evenly spaced sample of trades from execution to settlement, for the timeline chart.</summary>
    public IReadOnlyList<TradeTimeline> Timeline { get; init; } = [];

    public double RejectRate => Orders == 0 ? 0 : (double)Rejected / Orders;
    public double FailRate => Executed == 0 ? 0 : (double)Failed / Executed;
    public double BuyInRate => Executed == 0 ? 0 : (double)BoughtIn / Executed;
    public double DefaultRate => Executed == 0 ? 0 : (double)Defaulted / Executed;

    /// <summary>The scalars the report and summary.json show (snake_case, unit suffix).</summary>
    public SortedDictionary<string, double> Scalars()
    {
        string Money(string stem) => SecuritiesMetrics.Money(stem, Currency);
        var s = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            [SecuritiesMetrics.Orders] = Orders,
            [SecuritiesMetrics.TradesExecuted] = Executed,
            [SecuritiesMetrics.TradesRejected] = Rejected,
            [SecuritiesMetrics.TradesSettled] = Settled,
            [SecuritiesMetrics.TradesFailed] = Failed,
            [SecuritiesMetrics.TradesBoughtIn] = BoughtIn,
            [SecuritiesMetrics.TradesDefaulted] = Defaulted,
            [SecuritiesMetrics.TradesUnsettled] = Unsettled,
            [SecuritiesMetrics.RejectRate] = RejectRate,
            [SecuritiesMetrics.FailRate] = FailRate,
            [SecuritiesMetrics.FailRateValue] = FailRateValue,
            [SecuritiesMetrics.BuyInRate] = BuyInRate,
            [SecuritiesMetrics.DefaultRate] = DefaultRate,
            [SecuritiesMetrics.NettingEfficiency] = NettingEfficiency,
            [SecuritiesMetrics.Defaults] = MemberDefaults,
            [Quantile.Name(SecuritiesMetrics.SettlementTime, 0.50)] = SettlementTimeP50S,
            [Quantile.Name(SecuritiesMetrics.SettlementTime, 0.90)] = SettlementTimeP90S,
            [Quantile.Name(SecuritiesMetrics.SettlementTime, 0.99)] = SettlementTimeP99S,
            [SecuritiesMetrics.SettlementTimeMax] = SettlementTimeMaxS,
            [Quantile.Name(SecuritiesMetrics.SecuritiesLegTime, 0.50)] = Quantile.OfSorted(SecuritiesLegTimesS, 0.50),
            [Money(SecuritiesMetrics.ExposurePeak)] = ExposurePeak,
            [Money(SecuritiesMetrics.ReplacementPeak)] = ReplacementPeak,
            [Money(SecuritiesMetrics.UncollateralisedPeak)] = UncollateralisedPeak,
            [Money(SecuritiesMetrics.LiquidityCommitted)] = LiquidityCommittedTotal,
            [SecuritiesMetrics.LiquidityCommittedDays] = LiquidityCommittedDays,
            [Money(SecuritiesMetrics.Margin)] = MarginPeak,
            [Money(SecuritiesMetrics.ClearingFund)] = ClearingFundPeak,
            [Money(SecuritiesMetrics.SettlementDebit)] = SettlementDebitPeak,
            [Money(SecuritiesMetrics.CreditDrawn)] = CreditDrawnPeak,
            [Money(SecuritiesMetrics.FacilityDrawn)] = FacilityPeak,
            [Money(SecuritiesMetrics.FundingCost)] = FundingCost,
            [Money(SecuritiesMetrics.BorrowCost)] = BorrowCost,
            [Money(SecuritiesMetrics.Penalties)] = Penalties,
            [Money(SecuritiesMetrics.BuyInCost)] = BuyInCost,
            [Money(SecuritiesMetrics.TradedValue)] = TradedValue,
            [Money(SecuritiesMetrics.DefaultLoss)] = DefaultLoss,
        };
        if (LatenessS.Length > 0)
        {
            var sorted = LatenessS.Order().ToArray();
            s[Quantile.Name(SecuritiesMetrics.Lateness, 0.99)] = Quantile.OfSorted(sorted, 0.99);
            s[SecuritiesMetrics.SettledLateShare] = sorted.Count(x => x > 0) / (double)sorted.Length;
            s[SecuritiesMetrics.LatenessMax] = sorted[^1];
        }
        if (Waterfalls.Count > 0)
        {
            s[Money(SecuritiesMetrics.WaterfallDefaulterMargin)] = Waterfalls.Sum(w => w.FromDefaulterMargin) / 100.0;
            s[Money(SecuritiesMetrics.WaterfallDefaulterFund)] = Waterfalls.Sum(w => w.FromDefaulterFund) / 100.0;
            s[Money(SecuritiesMetrics.WaterfallSkin)] = Waterfalls.Sum(w => w.FromSkinInTheGame) / 100.0;
            s[Money(SecuritiesMetrics.WaterfallSurvivors)] = Waterfalls.Sum(w => w.FromSurvivorsTotal) / 100.0;
            s[Money(SecuritiesMetrics.WaterfallUncovered)] = Waterfalls.Sum(w => w.Uncovered) / 100.0;
        }
        if (OnChain)
        {
            s[SecuritiesMetrics.ThroughputActive] = ThroughputActiveTps;
            s[SecuritiesMetrics.ThroughputPeak] = ThroughputPeakTps;
            s[SecuritiesMetrics.ConservationViolations] = ConservationViolations;
            s[SecuritiesMetrics.LockedButRefused] = LockedButRefused;
            s[SecuritiesMetrics.ReplicasAgree] = ReplicasAgree == true ? 1 : 0;
        }
        for (int m = 0; m < MemberNames.Count; m++) s[$"{Money(SecuritiesMetrics.LiquidityCommitted)}.{MemberNames[m]}"] = LiquidityCommitted[m];
        return s;
    }
}

/// <summary>One trade's life for the timeline chart: virtual seconds since the run start (null: did not happen).</summary>
/// <param name="SettledS">When both legs became final; null if never.</param>
/// <param name="Failed">Open past its due date at least once.</param>
public sealed record TradeTimeline(int Index, double ExecutedS, double? SettledS, bool Failed)
{
    public int Buyer { get; init; }
    public int Seller { get; init; }
    /// <summary>Blocks only: when the institution affirmed the broker's confirmation.</summary>
    public double? AffirmedS { get; init; }
    /// <summary>Deferred net: locked in and novated by the CCP.</summary>
    public double? NovatedS { get; init; }
    /// <summary>Deferred net: first in a delivery run (the netting cut-off, or trade for trade).</summary>
    public double? NettedS { get; init; }
    /// <summary>On chain: the DvP first submitted to the chain.</summary>
    public double? SubmittedS { get; init; }
    /// <summary>The securities leg complete for both sides.</summary>
    public double? DeliveredS { get; init; }
}
