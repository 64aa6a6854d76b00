namespace Lab.Finance.Securities;

/// <summary>
/// The securities scenario's metric names, each defined once. Money metrics end in the run's currency
/// (<see cref="Money"/>: <c>exposure_peak_usd</c>); per-member values add <c>.member</c>.
/// </summary>
public static class SecuritiesMetrics
{
    /// <summary>Execution → both legs final (samples, seconds); settled trades only.</summary>
    public const string SettlementTime = "settlement_time_s";
    /// <summary>Execution → the securities leg complete for both sides (samples, seconds).</summary>
    public const string SecuritiesLegTime = "securities_leg_time_s";
    /// <summary>How long after its scheduled money settlement a trade became final (samples, seconds; 0 on time).</summary>
    public const string Lateness = "settlement_lateness_s";
    /// <summary>Orders presented at entry (scalar), accepted as trades, and rejected.</summary>
    public const string Orders = "orders";
    public const string TradesExecuted = "trades_executed";
    public const string TradesExecutedSeries = "trades_executed";
    public const string TradesRejected = "trades_rejected";
    /// <summary>Executed trades final by run end; open past due at least once; completed by a buy-in; with a defaulted side; still open at run end.</summary>
    public const string TradesSettled = "trades_settled";
    public const string TradesFailed = "trades_failed";
    public const string TradesBoughtIn = "trades_bought_in";
    public const string TradesDefaulted = "trades_defaulted";
    public const string TradesUnsettled = "trades_unsettled";
    /// <summary>Shares of orders: rejected / orders; failed, bought in, defaulted / executed trades.</summary>
    public const string RejectRate = "reject_rate";
    public const string FailRate = "fail_rate";
    /// <summary>Value of positions still open at the end of their settlement day / value of the net positions due
    /// (after netting, carried fails included), summed over settlement days — DTCC's CNS fail-rate measure.</summary>
    public const string FailRateValue = "fail_rate_value";
    public const string BuyInRate = "buy_in_rate";
    public const string DefaultRate = "default_rate";
    /// <summary>1 − net cash debits paid / gross value settled.</summary>
    public const string NettingEfficiency = "netting_efficiency";
    public const string Defaults = "member_defaults";
    public const string MarginCalls = "margin_calls";
    public const string IntradayMarginCalls = "intraday_margin_calls";
    public const string BuyIns = "buy_ins";
    /// <summary>Committed DvP transactions on chain, and DvPs the contract refused after their order was locked (must be 0).</summary>
    public const string ChainCommitted = "chain_committed_tx";
    public const string LockedButRefused = "dvp_refused_after_lock";
    public const string ConservationViolations = "conservation_violations";
    public const string ReplicasAgree = "chain_replicas_agree";
    public const string CommitLatency = "commit_latency_s";
    public const string ThroughputTps = "throughput_tps";
    public const string ThroughputPeakTps = "throughput_peak_tps";

    /// <summary>A money metric in the run's currency: <c>Money("exposure_peak", "USD")</c> is <c>exposure_peak_usd</c>.</summary>
    public static string Money(string stem, string currency) => $"{stem}_{currency.ToLowerInvariant()}";

    /// <summary>Stems of the money metrics (see <see cref="Money"/>).</summary>
    public const string ExposureNotional = "exposure_notional";
    public const string ExposureReplacement = "exposure_replacement";
    public const string ExposurePeak = "exposure_peak";
    public const string ReplacementPeak = "exposure_replacement_peak";
    public const string UncollateralisedPeak = "exposure_uncollateralised_peak";
    /// <summary>Cash a member needed committed: T+n — margin + clearing fund + the day's net settlement debit, peak over
    /// days; on chain — the cash it had to hold before its purchases (peak intraday net outflow), peak over days.</summary>
    public const string LiquidityCommitted = "liquidity_committed";
    public const string Margin = "margin_posted";
    public const string ClearingFund = "clearing_fund";
    public const string SettlementDebit = "settlement_debit";
    public const string CreditDrawn = "credit_drawn_peak";
    /// <summary>Cost of the cash committed (funding rate × time), credit interest, borrow fees, penalties and buy-in costs.</summary>
    public const string FundingCost = "funding_cost";
    public const string Penalties = "penalties";
    public const string BuyInCost = "buy_in_cost";
    public const string BorrowCost = "borrow_cost";
    public const string TradedValue = "traded_value";
    public const string DefaultLoss = "default_loss";
    public const string WaterfallDefaulterMargin = "waterfall_defaulter_margin";
    public const string WaterfallDefaulterFund = "waterfall_defaulter_fund";
    public const string WaterfallSkin = "waterfall_ccp_skin";
    public const string WaterfallSurvivors = "waterfall_survivors_fund";
    public const string WaterfallUncovered = "waterfall_uncovered";
    public const string FacilityDrawn = "liquidity_facility_peak";

    /// <summary>Cash committed as days of the market's average daily traded value (comparable across currencies).</summary>
    public const string LiquidityCommittedDays = "liquidity_committed_days";

    /// <summary>Rejections at entry by reason: <c>trades_rejected.cash</c>, <c>.holdings</c>, <c>.outage</c>, <c>.suspended</c>.</summary>
    public static string RejectedCounter(string reason) => $"{TradesRejected}.{reason}";
}
