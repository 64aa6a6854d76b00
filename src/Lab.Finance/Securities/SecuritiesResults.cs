using Lab.Sim.Metrics;

namespace Lab.Finance.Securities;

/// <summary>
/// The figures of one securities run, derived at its end from the per-trade settlement records,
/// the trade tape and the metrics. Cash in yuan (units, not minor units); times in seconds.
/// </summary>
public sealed record SecuritiesResults
{
    public required string Variant { get; init; }
    /// <summary>True for the on-chain variants.</summary>
    public required bool OnChain { get; init; }
    public required int Trades { get; init; }
    public required int Settled { get; init; }
    /// <summary>Settlement time of every settled trade (execution → settlement), seconds, ascending.</summary>
    public required IReadOnlyList<double> SettlementTimesS { get; init; }
    public double SettlementTimeP50S => Percentile(0.50);
    public double SettlementTimeP90S => Percentile(0.90);
    public double SettlementTimeP99S => Percentile(0.99);
    public double SettlementTimeMaxS => SettlementTimesS.Count == 0 ? double.NaN : SettlementTimesS[^1];
    /// <summary>Value of executed, unsettled trades at the end of each series bin (yuan).</summary>
    public required IReadOnlyList<double> ExposureCny { get; init; }
    public required double ExposurePeakCny { get; init; }
    /// <summary>Per member: cash needed to settle gross, trade by trade (on-chain DvP), peak over days (yuan).</summary>
    public required IReadOnlyList<double> LiquidityNeededGrossCny { get; init; }
    /// <summary>Per member: cash needed with end-of-day netting (T+n), peak over days (yuan).</summary>
    public required IReadOnlyList<double> LiquidityNeededNetCny { get; init; }
    /// <summary>Per member: peak daily purchases, i.e. cash to pre-fund every purchase without reusing same-day proceeds (yuan).</summary>
    public IReadOnlyList<double> PurchasesPeakCny { get; init; } = [];
    /// <summary>Per member: cash needed under this run's own grouping (gross, per netting window, or per day).</summary>
    public required IReadOnlyList<double> LiquidityNeededCny { get; init; }
    /// <summary>1 − net cash paid / gross trade value under this run's grouping (0 for trade-by-trade DvP).</summary>
    public required double NettingEfficiency { get; init; }
    /// <summary>Trades that failed (T+n) or were rejected (on chain) at least once, by count and by value.</summary>
    public required double FailRate { get; init; }
    public required double FailRateValue { get; init; }
    /// <summary>Failed or rejected share volume over traded share volume.</summary>
    public double FailRateShares { get; init; }
    public required long RejectedPrefunding { get; init; }
    /// <summary>On chain: committed transactions per second over the series bins that saw commits (nights and
    /// weekends excluded; the chain's standard <c>throughput_tps</c> averages over the whole run).</summary>
    public double ThroughputActiveTps { get; init; }
    /// <summary>On chain: committed transactions per second in the busiest series bin.</summary>
    public double ThroughputPeakTps { get; init; }
    public long ConservationViolations { get; init; }
    /// <summary>On chain: every replica at the same height has the same state digest (null off chain).</summary>
    public bool? ReplicasAgree { get; init; }
    public required IReadOnlyList<string> MemberNames { get; init; }
    /// <summary>An evenly spaced sample of trades from execution to settlement, for the timeline chart.</summary>
    public IReadOnlyList<TradeTimeline> Timeline { get; init; } = [];

    public double LiquidityNeededGrossTotalCny => LiquidityNeededGrossCny.Sum();
    public double LiquidityNeededNetTotalCny => LiquidityNeededNetCny.Sum();

    private double Percentile(double p) => SettlementTimesS is double[] sorted ? Quantile.OfSorted(sorted, p) : Quantile.Of(SettlementTimesS, p);

    /// <summary>The scalars the report and summary.json show (snake_case, unit suffix).</summary>
    public SortedDictionary<string, double> Scalars()
    {
        var s = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            [SecuritiesMetrics.Trades] = Trades,
            [SecuritiesMetrics.TradesSettled] = Settled,
            [SecuritiesMetrics.TradesUnsettled] = Trades - Settled,
            [Quantile.Name(SecuritiesMetrics.SettlementTime, 0.50)] = SettlementTimeP50S,
            [Quantile.Name(SecuritiesMetrics.SettlementTime, 0.90)] = SettlementTimeP90S,
            [Quantile.Name(SecuritiesMetrics.SettlementTime, 0.99)] = SettlementTimeP99S,
            [SecuritiesMetrics.SettlementTimeMax] = SettlementTimeMaxS,
            [SecuritiesMetrics.ExposurePeak] = ExposurePeakCny,
            [SecuritiesMetrics.LiquidityNeededGross] = LiquidityNeededGrossTotalCny,
            [SecuritiesMetrics.LiquidityNeededNet] = LiquidityNeededNetTotalCny,
            [SecuritiesMetrics.LiquidityNeeded] = LiquidityNeededCny.Sum(),
            [SecuritiesMetrics.LiquidityPrefundAll] = PurchasesPeakCny.Sum(),
            [SecuritiesMetrics.NettingEfficiency] = NettingEfficiency,
            [SecuritiesMetrics.FailRate] = FailRate,
            [SecuritiesMetrics.FailRateValue] = FailRateValue,
            [SecuritiesMetrics.FailRateShares] = FailRateShares,
            [SecuritiesMetrics.RejectedPrefunding] = RejectedPrefunding,
        };
        for (int m = 0; m < MemberNames.Count; m++)
        {
            s[$"{SecuritiesMetrics.LiquidityNeededGross}.{MemberNames[m]}"] = LiquidityNeededGrossCny[m];
            s[$"{SecuritiesMetrics.LiquidityNeededNet}.{MemberNames[m]}"] = LiquidityNeededNetCny[m];
        }
        if (OnChain)
        {
            s[SecuritiesMetrics.ThroughputActive] = ThroughputActiveTps;
            s[SecuritiesMetrics.ThroughputPeak] = ThroughputPeakTps;
            s[SecuritiesMetrics.ConservationViolations] = ConservationViolations;
            s[SecuritiesMetrics.ChainReplicasAgree] = ReplicasAgree == true ? 1 : 0;
        }
        return s;
    }
}

/// <summary>One trade's life for the timeline chart: virtual seconds since the run start (null: did not happen).</summary>
/// <param name="AffirmedS">When the buy side affirmed (T+n only).</param>
/// <param name="SettledS">When it settled; null if it never did.</param>
/// <param name="Failed">It failed (T+n) or was rejected (on chain) at least once.</param>
public sealed record TradeTimeline(int Index, double ExecutedS, double? AffirmedS, double? SettledS, bool Failed);
