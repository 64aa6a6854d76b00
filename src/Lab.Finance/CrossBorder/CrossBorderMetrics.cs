namespace Lab.Finance.CrossBorder;

/// <summary>Metric names of the cross-border scenario, defined once.</summary>
public static class CrossBorderMetrics
{
    /// <summary>Sample per payment that reached the receiving bank: seconds from the sending bank's release (SWIFT gpi's start point).</summary>
    public const string ToReceivingBank = "payment_to_receiving_bank_s";
    /// <summary>Sample per payment credited to the beneficiary: seconds from the sending bank's release (SWIFT gpi's start point).</summary>
    public const string ToBeneficiary = "payment_to_beneficiary_s";
    /// <summary>Sample per returned payment: seconds from instruction until the return reached the sender.</summary>
    public const string ReturnTime = "payment_return_s";
    /// <summary>Share of all payments at the receiving bank within 1 h of release (SWIFT gpi 2024: ~90%).</summary>
    public const string ReceivingBankWithinHour = "payment_receiving_bank_1h_share";
    /// <summary>Share of all payments credited to the beneficiary within 1 h (SWIFT gpi 2024: 43%).</summary>
    public const string BeneficiaryWithinHour = "payment_beneficiary_1h_share";
    /// <summary>Share of all payments not credited to the beneficiary within 2 days (late, returned or failed).</summary>
    public const string BeyondTwoDays = "payment_beyond_2d_share";
    /// <summary>Share of payments that failed at the sender or were refused by the ledger contract.</summary>
    public const string FailedShare = "payment_failed_share";
    /// <summary>Share of payments rejected along the correspondent chain and returned to the sender.</summary>
    public const string ReturnedShare = "payment_returned_share";
    /// <summary>Share still in flight when the run ended.</summary>
    public const string UnfinishedShare = "payment_unfinished_share";
    /// <summary>Cost per payment in USD: fees, FX margin and the liquidity cost of prefunded balances.</summary>
    public const string CostPerPayment = "payment_cost_usd";
    public const string FeesPerPayment = "payment_fees_usd";
    public const string FxCostPerPayment = "payment_fx_cost_usd";
    public const string LiquidityCostPerPayment = "payment_liquidity_cost_usd";
    /// <summary>Prefunded liquidity in USD: nostro balances at correspondents, or wallets on the ledger (total; per bank as <c>nostro_liquidity_usd.&lt;bank&gt;</c>).</summary>
    public const string Nostro = "nostro_liquidity_usd";
    /// <summary>Value released by senders and not yet at the receiving bank (or back), USD: series (time-average per bin), peak and mean.</summary>
    public const string InFlight = "in_flight_exposure_usd";
    public const string InFlightPeak = "in_flight_exposure_peak_usd";
    public const string InFlightMean = "in_flight_exposure_mean_usd";
    /// <summary>Payments refused or rejected per reason (<c>payment_refused.sanctions</c>, <c>.kyc</c>, <c>.funds</c>, <c>.compliance</c>).</summary>
    public const string Refused = "payment_refused.";
    public static string RefusedFor(string reason) => Refused + reason;
    /// <summary>Timeline: instruction and credit (or failure, return, run end) of a sample of payments, seconds.</summary>
    public const string PaymentStart = "payment_start_s";
    public const string PaymentEnd = "payment_end_s";
    /// <summary>The report's "follow one payment": one sample per step of a sample of payments, aligned by position
    /// (the payment's index, the <see cref="PaymentStage"/> as a number, the bank's index, the time).</summary>
    public const string JourneyPayment = "journey_payment";
    public const string JourneyStage = "journey_stage";
    public const string JourneyWho = "journey_who";
    public const string JourneyAt = "journey_at_s";
    /// <summary>Which variant ran: 1 on the ledger, 0 on correspondent chains.</summary>
    public const string OnLedger = "crossborder_on_ledger";
    /// <summary>Finding kind: a payment refused by the ledger contract, with its reason.</summary>
    public const string RefusalFinding = "refusal";

    public static string PerBank(string metric, string bank) => metric + "." + bank;

    /// <summary>Every metric with a description, for the catalog.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Descriptions =
    [
        (ToReceivingBank, "seconds from the sending bank's release to the receiving bank, per payment that got there"),
        (ToBeneficiary, "seconds from the sending bank's release to the beneficiary's credit, per payment credited"),
        (ReturnTime, "seconds from instruction until a rejected payment was back at the sender"),
        (ReceivingBankWithinHour, "share of all payments at the receiving bank within 1 h"),
        (BeneficiaryWithinHour, "share of all payments credited to the beneficiary within 1 h"),
        (BeyondTwoDays, "share of all payments not credited within 2 days (late, returned, failed or unfinished)"),
        (FailedShare, "share of payments failed at the sender or refused by the ledger contract"),
        (ReturnedShare, "share of payments rejected along the chain and returned"),
        (UnfinishedShare, "share of payments still in flight at the end of the run"),
        (CostPerPayment, "USD per payment: fees + FX margin + liquidity cost"),
        (FeesPerPayment, "USD fees per payment"),
        (FxCostPerPayment, "USD FX margin per payment"),
        (LiquidityCostPerPayment, "USD liquidity cost of prefunded balances per payment"),
        (Nostro, "USD prefunded in nostro accounts (or ledger wallets), total"),
        (Nostro + ".<bank>", "USD prefunded by one bank (nostros at its correspondents, or its ledger wallet)"),
        (InFlight, "USD released and not yet at the receiving bank, time-average per bin (series)"),
        (InFlightPeak, "USD in flight at the peak"),
        (InFlightMean, "USD in flight, time-average over the run"),
        (Refused + "<reason>", "payments refused or rejected for a reason (sanctions, kyc, funds, compliance)"),
        (PaymentStart, "timeline: instruction time of sampled payments, s"),
        (PaymentEnd, "timeline: credit, failure or return time of sampled payments, s"),
        (JourneyPayment, "followed payments (report: follow one payment): the payment's index, one sample per step; journey_stage, journey_who and journey_at_s align with it"),
        (JourneyStage, "followed payments: what the step was (0 instructed, 1 arrived, 2 passed on, 3 converted, 4 rejected, 5 return arrived, 6 return passed on, 7 returned, 8 credited, 9 submitted, 10 final, 11 refused)"),
        (JourneyWho, "followed payments: the bank that took the step (index in scenario.banks)"),
        (JourneyAt, "followed payments: when the step was taken, s"),
        (OnLedger, "which variant ran: 1 on the multi-currency ledger, 0 correspondent banking"),
    ];
}
