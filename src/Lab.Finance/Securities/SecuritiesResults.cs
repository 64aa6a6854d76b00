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
    public double ThroughputTps { get; init; }
    public double ThroughputPeakTps { get; init; }
    public double CommitLatencyP50S { get; init; } = double.NaN;
    public double CommitLatencyP99S { get; init; } = double.NaN;
    public long ConservationViolations { get; init; }
    /// <summary>On chain: every replica at the same height has the same state digest (null off chain).</summary>
    public bool? ReplicasAgree { get; init; }
    public required IReadOnlyList<string> MemberNames { get; init; }
    /// <summary>An evenly spaced sample of trades from execution to settlement, for the timeline chart.</summary>
    public IReadOnlyList<TradeTimeline> Timeline { get; init; } = [];

    public double LiquidityNeededGrossTotalCny => LiquidityNeededGrossCny.Sum();
    public double LiquidityNeededNetTotalCny => LiquidityNeededNetCny.Sum();

    private double Percentile(double p)
    {
        if (SettlementTimesS.Count == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p * SettlementTimesS.Count) - 1;
        return SettlementTimesS[Math.Clamp(rank, 0, SettlementTimesS.Count - 1)];
    }

    /// <summary>The scalars the report and summary.json show (snake_case, unit suffix).</summary>
    public SortedDictionary<string, double> Scalars()
    {
        var s = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["trades"] = Trades,
            ["trades_settled"] = Settled,
            ["trades_unsettled"] = Trades - Settled,
            ["settlement_time_p50_s"] = SettlementTimeP50S,
            ["settlement_time_p90_s"] = SettlementTimeP90S,
            ["settlement_time_p99_s"] = SettlementTimeP99S,
            ["settlement_time_max_s"] = SettlementTimeMaxS,
            ["exposure_peak_cny"] = ExposurePeakCny,
            ["liquidity_needed_gross_cny"] = LiquidityNeededGrossTotalCny,
            ["liquidity_needed_net_cny"] = LiquidityNeededNetTotalCny,
            ["liquidity_needed_cny"] = LiquidityNeededCny.Sum(),
            ["liquidity_prefund_all_purchases_cny"] = PurchasesPeakCny.Sum(),
            ["netting_efficiency"] = NettingEfficiency,
            ["fail_rate"] = FailRate,
            ["fail_rate_value"] = FailRateValue,
            ["fail_rate_shares"] = FailRateShares,
            ["rejected_prefunding"] = RejectedPrefunding,
        };
        for (int m = 0; m < MemberNames.Count; m++)
        {
            s[$"liquidity_needed_gross_cny.{MemberNames[m]}"] = LiquidityNeededGrossCny[m];
            s[$"liquidity_needed_net_cny.{MemberNames[m]}"] = LiquidityNeededNetCny[m];
        }
        if (OnChain)
        {
            s["throughput_tps"] = ThroughputTps;
            s["throughput_peak_tps"] = ThroughputPeakTps;
            s["commit_latency_p50_s"] = CommitLatencyP50S;
            s["commit_latency_p99_s"] = CommitLatencyP99S;
            s["conservation_violations"] = ConservationViolations;
            s["chain_replicas_agree"] = ReplicasAgree == true ? 1 : 0;
        }
        return s;
    }
}

/// <summary>One trade's life for the timeline chart: virtual seconds since the run start (null: did not happen).</summary>
/// <param name="AffirmedS">When the buy side affirmed (T+n only).</param>
/// <param name="SettledS">When it settled; null if it never did.</param>
/// <param name="Failed">It failed (T+n) or was rejected (on chain) at least once.</param>
public sealed record TradeTimeline(int Index, double ExecutedS, double? AffirmedS, double? SettledS, bool Failed);
