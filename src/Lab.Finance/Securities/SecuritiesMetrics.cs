using Lab.Sim.Metrics;

namespace Lab.Finance.Securities;

/// <summary>
/// The securities scenario's metric names, each defined once, and what each means (<see cref="Descriptions"/>,
/// for <c>lab list metrics</c>). Money metrics end in the run's currency (<see cref="Money"/>:
/// <c>exposure_peak_usd</c>); per-member values add <c>.member</c>. On chain the chain's standard metrics
/// (<c>StandardMetrics</c>: commit latency, committed and submitted transactions, safety) sit beside them.
/// </summary>
public static class SecuritiesMetrics
{
    /// <summary>Execution → both legs final (samples, seconds); settled trades only.</summary>
    public const string SettlementTime = "settlement_time_s";
    /// <summary>Slowest settlement, seconds (scalar).</summary>
    public const string SettlementTimeMax = "settlement_time_max_s";
    /// <summary>Execution → the securities leg complete for both sides (samples, seconds).</summary>
    public const string SecuritiesLegTime = "securities_leg_time_s";
    /// <summary>How long after its scheduled money settlement a trade became final (samples, seconds; 0 on time).</summary>
    public const string Lateness = "settlement_lateness_s";
    /// <summary>Deferred net: share of final trades that became final after their scheduled money settlement, and the latest.</summary>
    public const string SettledLateShare = "settled_late_share";
    public const string LatenessMax = "settlement_lateness_max_s";
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
    /// <summary>On chain: DvPs the contract refused after their order was locked at entry (must be 0).</summary>
    public const string LockedButRefused = "dvp_refused_after_lock";
    public const string ConservationViolations = Lab.Ledger.LedgerMetrics.ConservationViolations;
    public const string ReplicasAgree = "chain_replicas_agree";
    /// <summary>On chain: committed transactions per second over the series bins that saw commits (nights and weekends
    /// excluded; the chain's standard <c>throughput_tps</c> averages over the whole run), and in the busiest bin. Commit
    /// latency, committed and submitted transactions are the chain's standard metrics (<c>StandardMetrics</c>).</summary>
    public const string ThroughputActive = "throughput_active_tps";
    public const string ThroughputPeak = "throughput_peak_tps";

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

    /// <summary>Paired samples for the trade-timeline chart: execution and settlement times of a sample of trades.</summary>
    public const string TradeStart = "trade_start_s";
    public const string TradeEnd = "trade_end_s";

    /// <summary>
    /// The report's "follow one trade" (samples aligned by position, one per followed trade; −1: did not happen):
    /// the trade's index and its buyer and seller (member indices), then the virtual time of each stage.
    /// </summary>
    public const string JourneyTrade = "journey_trade";
    public const string JourneyBuyer = "journey_buyer";
    public const string JourneySeller = "journey_seller";
    public const string JourneyExecuted = "journey_executed_s";
    public const string JourneyAffirmed = "journey_affirmed_s";
    public const string JourneyNovated = "journey_novated_s";
    public const string JourneyNetted = "journey_netted_s";
    public const string JourneySubmitted = "journey_submitted_s";
    public const string JourneyDelivered = "journey_delivered_s";
    public const string JourneySettled = "journey_settled_s";

    /// <summary>Counters of the institutions' work: trades novated, delivery runs, shares due and delivered in them, partial
    /// deliveries, money settlements, payouts deferred for lack of liquidity, settlement days with fails, risk runs.</summary>
    public const string TradesNovated = "trades_novated";
    public const string DeliveryRuns = "delivery_runs";
    public const string SharesDueInRuns = "shares_due_in_runs";
    public const string SharesDeliveredInRuns = "shares_delivered_in_runs";
    public const string PartialDeliveries = "partial_deliveries";
    public const string MoneySettlements = "money_settlements";
    public const string PayoutsDeferred = "payouts_deferred";
    public const string FailDays = "fail_days";
    public const string RiskRuns = "risk_runs";
    /// <summary>Securities borrowing at the CSD: requests, requests no lender could fill, borrows made.</summary>
    public const string BorrowRequests = "borrow_requests";
    public const string BorrowNotFound = "borrow_not_found";
    public const string Borrows = "borrows";
    /// <summary>Credit-line draws and repayments (bank under T+n, wallet top-ups on chain).</summary>
    public const string CreditDraws = "credit_draws";
    public const string CreditRepayments = "credit_repayments";
    public const string RegulatorReports = "regulator_reports";
    /// <summary>Trades the CCP saw affirmed by the affirmation cut-off, and after it.</summary>
    public const string AffirmedByCutoff = "affirmed_by_cutoff";
    public const string AffirmedLate = "affirmed_late";
    /// <summary>Findings: a member default and its waterfall; a locked trade the DvP contract refused.</summary>
    public const string DefaultFinding = "default";
    public const string RefusedFinding = "settlement-refused";

    /// <summary>Each money metric in the run's currency, as <c>lab list metrics</c> and chart validation read it.</summary>
    private static string Ccy(string stem) => stem + "_<ccy>";

    /// <summary>What each means, for <c>lab list metrics</c>: one entry per name (money metrics as <c>stem_&lt;ccy&gt;</c>,
    /// per-member values as <c>.&lt;member&gt;</c>); chart validation reads the same list.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Descriptions =
    [
        (SettlementTime, "execution → both legs final (money settled, or the DvP final on chain); settled trades only (samples; p50/p90/p99 beside it)"),
        .. new[] { 0.50, 0.90, 0.99 }.Select(p => (Quantile.Name(SettlementTime, p), $"settlement time, {p * 100:0}th percentile")),
        (SettlementTimeMax, "slowest settlement"),
        (SecuritiesLegTime, "execution → the securities leg complete for both sides (samples)"),
        (Quantile.Name(SecuritiesLegTime, 0.50), "median securities leg time"),
        (Lateness, "deferred net: final time after the scheduled money settlement, 0 on time (samples)"),
        (Quantile.Name(Lateness, 0.99), "deferred net: lateness, 99th percentile"),
        (SettledLateShare, "deferred net: share of final trades that became final after their scheduled money settlement"),
        (LatenessMax, "deferred net: the latest a trade became final after its scheduled money settlement"),
        (Orders, "orders presented at entry"),
        (TradesExecuted, "orders accepted and executed as trades (also a series per bin)"),
        (TradesRejected, "orders rejected at entry"),
        (TradesRejected + ".<reason>", "orders rejected at entry by reason: cash, holdings, outage, suspended, frozen"),
        (TradesSettled, "executed trades final by the end of the run"),
        (TradesFailed, "executed trades open past their due date at least once"),
        (TradesBoughtIn, "trades whose seller's side was completed by a buy-in"),
        (TradesDefaulted, "trades with a side belonging to a member in default (closed out by the CCP)"),
        (TradesUnsettled, "executed trades still open at the end of the run"),
        (RejectRate, "orders rejected / orders"),
        (FailRate, "trades failed / trades executed"),
        (FailRateValue, "value of positions open past due / value due, over settlement days (DTCC's CNS fail-rate measure)"),
        (BuyInRate, "trades bought in / trades executed"),
        (DefaultRate, "trades defaulted / trades executed"),
        (NettingEfficiency, "1 − net cash debits paid / gross value settled"),
        (Defaults, "members declared in default"),
        (MarginCalls, "end-of-day margin calls"),
        (IntradayMarginCalls, "intraday margin calls"),
        (BuyIns, "buy-ins the CCP executed"),
        (Ccy(ExposureNotional), "value of executed trades not yet final, at each series bin (series)"),
        (Ccy(ExposureReplacement), "replacement cost: the members' losses on open positions at current prices, before margin (series)"),
        (Ccy(ExposurePeak), "peak value of executed trades not yet final"),
        (Ccy(ReplacementPeak), "peak replacement cost"),
        (Ccy(UncollateralisedPeak), "peak replacement cost not covered by margin"),
        (Ccy(LiquidityCommitted), "cash committed in total: margin + clearing fund + net settlement debit (T+n), or cash held before purchases (on chain); peak over days"),
        (Ccy(LiquidityCommitted) + ".<member>", "the same per member (the liquidity chart)"),
        (LiquidityCommittedDays, "total cash committed in days of the market's average daily traded value"),
        (Ccy(Margin), "largest end-of-day total of margin (initial + variation)"),
        (Ccy(ClearingFund), "largest end-of-day clearing fund"),
        (Ccy(SettlementDebit), "largest day's net settlement debits, summed over members"),
        (Ccy(CreditDrawn), "peak credit drawn, summed over members"),
        (Ccy(FundingCost), "cost of the cash committed at the funding rate over the run, plus credit interest, borrow fees, penalties and buy-in costs"),
        (Ccy(Penalties), "cash penalties for failing days"),
        (Ccy(BuyInCost), "cost of buy-ins above the trade price"),
        (Ccy(BorrowCost), "fees paid to borrow shares"),
        (Ccy(TradedValue), "value of the trades executed"),
        (Ccy(DefaultLoss), "loss on closing out defaulters"),
        (Ccy(WaterfallDefaulterMargin), "default loss paid by the defaulter's margin"),
        (Ccy(WaterfallDefaulterFund), "default loss paid by the defaulter's clearing-fund deposit"),
        (Ccy(WaterfallSkin), "default loss paid by the CCP's own capital"),
        (Ccy(WaterfallSurvivors), "default loss paid by the surviving members' fund deposits"),
        (Ccy(WaterfallUncovered), "default loss nothing covered"),
        (Ccy(FacilityDrawn), "peak draw on the CCP's liquidity facility"),
        (TradeStart, "execution times of a sample of trades (samples, paired with trade_end_s: trade-timeline)"),
        (TradeEnd, "settlement times of the same trades (the run's end for unsettled ones)"),
        (JourneyTrade, "followed trades (report: follow one trade): the trade's index, one sample per trade; the journey_* samples align with it"),
        (JourneyBuyer, "followed trades: the buyer's member index"),
        (JourneySeller, "followed trades: the seller's member index"),
        (JourneyExecuted, "followed trades: execution time, s (−1: not executed)"),
        (JourneyAffirmed, "followed trades: affirmation time of a block, s (−1: not a block)"),
        (JourneyNovated, "followed trades: novation by the CCP, s (−1: none, e.g. on chain)"),
        (JourneyNetted, "followed trades: first in a CCP delivery run (netting cut-off), s (−1: none)"),
        (JourneySubmitted, "followed trades: DvP submitted to the chain, s (−1: none)"),
        (JourneyDelivered, "followed trades: securities leg complete, s (−1: not yet)"),
        (JourneySettled, "followed trades: both legs final, s (−1: not yet)"),
        (TradesNovated, "trades the CCP novated"),
        (AffirmedByCutoff, "trades affirmed by the affirmation cut-off"),
        (AffirmedLate, "trades affirmed after the cut-off (they miss the automatic delivery run)"),
        (DeliveryRuns, "CSD delivery runs"),
        (SharesDueInRuns, "shares due in the delivery runs"),
        (SharesDeliveredInRuns, "shares delivered in the delivery runs"),
        (PartialDeliveries, "positions delivered in part"),
        (MoneySettlements, "money settlements run"),
        (PayoutsDeferred, "payouts deferred for lack of liquidity"),
        (FailDays, "settlement days with fails"),
        (RiskRuns, "CCP risk (margin) runs"),
        (BorrowRequests, "securities borrow requests"),
        (BorrowNotFound, "borrow requests no lender could fill"),
        (Borrows, "borrows made"),
        (CreditDraws, "credit-line draws (bank under T+n, wallet top-ups on chain)"),
        (CreditRepayments, "credit-line repayments"),
        (RegulatorReports, "reports the regulator received"),
        (ThroughputActive, "on chain: committed transactions per second over the series bins with commits (the standard throughput_tps averages over the whole run)"),
        (ThroughputPeak, "on chain: committed transactions per second in the busiest series bin"),
        (LockedButRefused, "on chain: locked, matched trades the contract refused (must be 0: no matched trade is cancelled)"),
        (ConservationViolations, "on chain: tokens created or destroyed other than by their issuer (must be 0)"),
        (ReplicasAgree, "on chain: 1 when every replica at the same height has the same state"),
    ];
}
