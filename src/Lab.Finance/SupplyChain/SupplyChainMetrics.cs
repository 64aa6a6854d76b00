namespace Lab.Finance.SupplyChain;

/// <summary>Metric names of <c>scenario.kind: supply-chain</c>. Per-tier families end in a dot: <c>scf_financed_share.tier2</c>.</summary>
public static class SupplyChainMetrics
{
    public const string Seekers = "scf_seekers.";
    public const string FinancedShare = "scf_financed_share.";
    public const string FinancedAmountShare = "scf_financed_amount_share.";
    public const string FinancedAmount = "scf_financed_amount.";
    public const string TimeToCashMedian = "scf_time_to_cash_median_s.";
    public const string FinancingCost = "scf_financing_cost.";
    public const string TimeToCash = "scf_time_to_cash_s";
    public const string DoubleAttempts = "scf_double_financing_attempts";
    public const string DoubleFinanced = "scf_double_financed";
    public const string DoubleStopped = "scf_double_financing_stopped";
    public const string OnChain = "scf_on_chain";
    public const string VoucherStart = "voucher_start_s";
    public const string VoucherEnd = "voucher_end_s";
    public const string JourneyPayable = "journey_payable";
    public const string JourneyStage = "journey_stage";
    public const string JourneyWho = "journey_who";
    public const string JourneyAt = "journey_at_s";
    public const string JourneyDetail = "journey_detail";
    /// <summary>A contract call the voucher flow expected to pass was refused (a note, not a metric).</summary>
    public const string RefusalFinding = "scf_refusal";

    public static string Tier(string family, int tier) => family + "tier" + tier.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static readonly IReadOnlyList<(string Name, string Description)> Descriptions =
    [
        (Seekers + "<tier>", "holders of that tier that asked a bank for cash before maturity (same in both flows)"),
        (FinancedShare + "<tier>", "share of those holders that got bank money, 0 to 1"),
        (FinancedAmountShare + "<tier>", "share of the amount they asked for that was financed, 0 to 1"),
        (FinancedAmount + "<tier>", "amount financed, in currency units (face value of the receivables financed)"),
        (TimeToCashMedian + "<tier>", "median time from asking for cash to having it (bank money, or payment when no bank paid), seconds"),
        (FinancingCost + "<tier>", "annual rate paid on what was financed, weighted by amount (0.09 = 9% a year)"),
        (TimeToCash, "time from asking for cash to having it, every holder that asked (samples, seconds)"),
        (DoubleAttempts, "receivables a holder tried to finance with two banks (same in both flows)"),
        (DoubleFinanced, "of those, financed by both banks"),
        (DoubleStopped, "of those, refused because the second bank saw the first financing"),
        (OnChain, "which flow ran: 1 vouchers on chain, 0 paper"),
        (VoucherStart, "timeline: when a holder asked for cash (samples, seconds since the start)"),
        (VoucherEnd, "timeline: when it had the cash (samples, seconds since the start)"),
        (JourneyPayable, "followed payables (report: follow one payable): the payable's index, one sample per step; journey_stage, journey_who, journey_at_s and journey_detail align with it"),
        (JourneyStage, "followed payables: what the step was (0 confirmed to tier 1, 1 passed up a tier, 2 asked a bank for cash, 3 financed, 4 refused, 5 paid)"),
        (JourneyWho, "followed payables: who acted and with whom, who + parties × (with + 1), parties numbered core 0, suppliers 1…, then banks"),
        (JourneyAt, "followed payables: when the step was taken, s"),
        (JourneyDetail, "followed payables: the step's detail (confirmed, passed, asked, paid: amount, minor units; financed: proceeds; refused: 1 if the piece was seen financed already)"),
    ];
}
