using Lab.Sim.Metrics;

namespace Lab.Finance.Securities;

/// <summary>
/// The metrics of the securities scenario, one name and one description each; the institutions record
/// them, <see cref="SecuritiesResults"/> derives the scalars, and the experiment layer lists them from
/// <see cref="Descriptions"/>. On chain the chain's standard metrics (<c>StandardMetrics</c>) sit beside them.
/// </summary>
public static class SecuritiesMetrics
{
    /// <summary>Trade execution → settlement, seconds (samples); percentiles by <see cref="Quantile.Name"/>.</summary>
    public const string SettlementTime = "settlement_time_s";
    /// <summary>Slowest settlement, seconds (scalar).</summary>
    public const string SettlementTimeMax = "settlement_time_max_s";
    /// <summary>Trades on the tape (scalar).</summary>
    public const string Trades = "trades";
    /// <summary>Trades settled (counter and scalar).</summary>
    public const string TradesSettled = "trades_settled";
    /// <summary>Trades never settled (scalar).</summary>
    public const string TradesUnsettled = "trades_unsettled";
    /// <summary>Trades executed per series bin (series).</summary>
    public const string TradesExecuted = "trades_executed";
    /// <summary>Value of executed, unsettled trades at the end of each bin, yuan (series).</summary>
    public const string Exposure = "exposure_cny";
    public const string ExposurePeak = "exposure_peak_cny";
    /// <summary>Cash members need under this variant's grouping, summed (scalar); per member as <c>liquidity_needed_cny.&lt;member&gt;</c>.</summary>
    public const string LiquidityNeeded = "liquidity_needed_cny";
    public const string LiquidityNeededGross = "liquidity_needed_gross_cny";
    public const string LiquidityNeededNet = "liquidity_needed_net_cny";
    public const string LiquidityPrefundAll = "liquidity_prefund_all_purchases_cny";
    public const string NettingEfficiency = "netting_efficiency";
    public const string FailRate = "fail_rate";
    public const string FailRateValue = "fail_rate_value";
    public const string FailRateShares = "fail_rate_shares";
    /// <summary>Settlements that failed (counter), and their value (counter).</summary>
    public const string SettlementFails = "settlement_fails";
    public const string SettlementFailsValue = "settlement_fails_value";
    /// <summary>On-chain trades rejected for lack of pre-funding (counter and scalar).</summary>
    public const string RejectedPrefunding = "rejected_prefunding";
    public const string ThroughputActive = "throughput_active_tps";
    public const string ThroughputPeak = "throughput_peak_tps";
    public const string ConservationViolations = Lab.Ledger.LedgerMetrics.ConservationViolations;
    public const string ChainReplicasAgree = "chain_replicas_agree";
    /// <summary>Paired samples for the trade-timeline chart: execution and settlement times of a sample of trades.</summary>
    public const string TradeStart = "trade_start_s";
    public const string TradeEnd = "trade_end_s";

    /// <summary>What each means, for <c>lab list metrics</c>.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Descriptions =
    [
        (SettlementTime, "trade execution → settlement (T+n batch, or DvP final under the chain's rule)"),
        (Quantile.Name(SettlementTime, 0.50), "median settlement time (also p90, p99, and settlement_time_max_s)"),
        (Exposure, "value of executed, unsettled trades at the end of each series bin (series)"),
        (ExposurePeak, "peak value of executed, unsettled trades"),
        (LiquidityNeeded, "cash members must hold to settle under this variant, summed over members (per member: liquidity_needed_cny.<member>)"),
        (LiquidityNeededGross, "cash needed settling trade by trade (no netting), summed over members"),
        (LiquidityNeededNet, "cash needed with end-of-day netting, summed over members"),
        (NettingEfficiency, "1 − net cash paid / gross value under this variant's grouping"),
        (FailRate, "share of trades that failed (T+n) or were rejected (on chain) at least once (also _value, _shares)"),
        (RejectedPrefunding, "on-chain trades rejected for lack of pre-funding"),
        (ThroughputActive, "on chain: committed DvP transactions per second over the series bins with commits (the standard throughput_tps averages over the whole run)"),
        (ThroughputPeak, "on chain: committed DvP transactions per second in the busiest series bin"),
        (ConservationViolations, "on chain: tokens created or destroyed other than by their issuer (must be 0)"),
        (ChainReplicasAgree, "on chain: 1 when every replica at the same height has the same state"),
    ];
}
