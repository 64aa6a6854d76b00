namespace Lab.Finance.Abs;

/// <summary>
/// The ABS scenario's metric names, each defined once, with what each means (<see cref="Descriptions"/>). Money is in
/// CNY (fen rounded to two decimals). On chain the chain's standard metrics (submitted and committed transactions,
/// commit latency, throughput) measure the chain load beside these.
/// </summary>
public static class AbsMetrics
{
    public const string LoanEvents = "loan_events";
    public const string Periods = "collection_periods";
    public const string PoolCny = "pool_initial_cny";
    public const string EventVisible = "event_visible_s";
    public const string WaterfallVisible = "waterfall_visible_s";
    public const string LateReports = "reports_after_payment_date";
    public const string Breaks = "reconciliation_breaks";
    public const string BreakFoundAfter = "break_found_after_s";
    public const string BreaksOpen = "breaks_open_at_end";
    public const string WaterfallMismatches = "waterfall_mismatches";
    public const string WaterfallViolations = "waterfall_violations";
    public const string InterestA = "class_a_interest_cny";
    public const string InterestB = "class_b_interest_cny";
    public const string PrincipalA = "class_a_principal_cny";
    public const string PrincipalB = "class_b_principal_cny";
    public const string PrincipalSub = "sub_principal_cny";
    public const string Residual = "residual_cny";
    public const string Fees = "senior_fees_cny";
    public const string FactorA = "class_a_factor";
    public const string FactorB = "class_b_factor";
    public const string FactorSub = "sub_factor";
    public const string ReserveEnd = "reserve_end_cny";
    public const string Shortfall = "interest_shortfall_cny";
    public const string CumulativeDefaults = "cumulative_default_rate";
    public const string CumulativeLoss = "cumulative_net_loss_rate";
    public const string SequentialFrom = "sequential_from_period";
    public const string PoolFactor = "pool_factor";
    public const string PoolBalance = "pool_balance_cny";
    public const string BalanceA = "class_a_balance_cny";
    public const string BalanceB = "class_b_balance_cny";
    public const string BalanceSub = "sub_balance_cny";
    public const string Delinquent = "delinquent_60plus_cny";
    public const string Trades = "unit_trades";
    public const string TradeSettlement = "trade_settlement_s";
    public const string Misdirected = "misdirected_payments_cny";
    public const string Refusals = "deal_calls_refused";
    public const string ChainTxPerDay = "chain_tx_per_day";
    public const string ReplicasAgree = "deal_replicas_agree";
    public const string AuditViolations = "deal_audit_violations";
    public const string OnChain = "reporting_on_chain";
    public const string JourneyEvent = "journey_event";
    public const string JourneyStage = "journey_stage";
    public const string JourneyWho = "journey_who";
    public const string JourneyAt = "journey_at_s";
    public const string JourneyDetail = "journey_detail";

    public static readonly IReadOnlyList<(string Name, string Description)> Descriptions =
    [
        (Periods, "monthly collection periods (each with a waterfall on its payment date)"),
        (PoolCny, "pool principal at the cut-off, CNY (the notes' face at issuance)"),
        (LoanEvents, "loan events in the pool history (payments, prepayments, missed instalments, cures, defaults, recoveries); the same in both variants"),
        (EventVisible, "samples: per loan event, the event → every party (trustee, originator, rating agency, regulator, investors) holds it correctly, seconds (traditional: its period's report reconciled, or the next reconciliation after a break; on chain: its batch applied on every replica)"),
        (WaterfallVisible, "samples: per period, period end → every party holds that period's waterfall correctly, seconds"),
        (LateReports, "periods whose waterfall reached every party only after that period's payment date"),
        (Breaks, "traditional: reconciliations that went wrong unnoticed (a party's books disagree with the trustee's report); on chain: 0"),
        (BreakFoundAfter, "samples: per break, its reconciliation → the next one that finds it, seconds"),
        (BreaksOpen, "breaks not yet found when the run ends (the last period's have no later reconciliation)"),
        (WaterfallMismatches, "on chain: periods where some replica's waterfall differs from the reference computation over the servicer's tapes (must be 0)"),
        (WaterfallViolations, "periods where the reference waterfall breaks cash in = paid out + reserve change, a balance goes negative, or junior principal is paid under the sequential trigger (must be 0)"),
        (InterestA, "interest paid to class A over the run, CNY"),
        (InterestB, "interest paid to class B, CNY"),
        (PrincipalA, "principal repaid to class A, CNY"),
        (PrincipalB, "principal repaid to class B, CNY"),
        (PrincipalSub, "principal repaid to the subordinated class, CNY"),
        (Residual, "residual (excess spread and released reserve) to the subordinated holder, CNY"),
        (Fees, "senior fees paid (servicing, trustee), CNY"),
        (FactorA, "class A balance at the end / at issuance"),
        (FactorB, "class B balance at the end / at issuance"),
        (FactorSub, "subordinated balance at the end / at issuance"),
        (ReserveEnd, "reserve account at the end, CNY"),
        (Shortfall, "senior fees and interest due but unpaid after the reserve, CNY (0 in a healthy deal)"),
        (CumulativeDefaults, "principal charged off as defaulted / initial pool"),
        (CumulativeLoss, "defaulted principal less recoveries received / initial pool"),
        (SequentialFrom, "first period (0-based) whose coverage tests breached and switched principal to sequential; −1 if principal stayed pro rata"),
        (PoolFactor, "pool principal not defaulted at the end / initial pool"),
        (PoolBalance, "series: pool principal not defaulted, CNY, at each bin's end (steps at month ends)"),
        (BalanceA, "series: class A balance, CNY (steps at payment dates)"),
        (BalanceB, "series: class B balance, CNY"),
        (BalanceSub, "series: subordinated balance, CNY"),
        (Delinquent, "series: principal of loans 60+ days past due (two or more instalments missed), CNY"),
        (Trades, "unit trades between investors"),
        (TradeSettlement, "samples: trade → the register shows the buyer, seconds (traditional: registrar desk; on chain: transfer final)"),
        (Misdirected, "payments made to the seller because the register had not caught up with a trade by the record date, CNY"),
        (Refusals, "on chain: deal-contract calls refused (loan events, closes, transfers); must be 0 for an honest servicer"),
        (ChainTxPerDay, "transactions submitted to the chain per day of the run"),
        (ReplicasAgree, "1 when replicas at the same height hold the same deal state"),
        (AuditViolations, "after-block audit findings on any replica: unit conservation, cash identity, waterfall checks (must be 0)"),
        (OnChain, "which variant ran: 1 on chain, 0 traditional monthly reporting"),
        (JourneyEvent, "followed loan events (report: follow one loan event): the event's index in the pool history, one sample per step; journey_stage, journey_who, journey_at_s and journey_detail align with it"),
        (JourneyStage, "followed loan events: what the step was (0 occurred, 1 posted, 2 period ended, 3 servicer report, 4 trustee's waterfall sent, 5 reconciled, 6 break found, 7 every party holds it, 8 period close submitted on chain, 9 waterfall on every replica, 10 investors paid)"),
        (JourneyWho, "followed loan events: who took the step (0 servicer, 1 trustee, then originator, rating agency, regulator, investors; −1 the deal ledger)"),
        (JourneyAt, "followed loan events: when the step was taken, s"),
        (JourneyDetail, "followed loan events: the step's detail (occurred: the kind, 0 payment, 1 prepayment, 2 missed, 3 cure, 4 default, 5 recovery; posted: events in the batch; reconciled: 1 if it went wrong unnoticed; paid: fen to classes A and B)"),
    ];
}
