namespace Lab.Finance.Warehousing;

/// <summary>
/// The warehouse-receipt scenario's metric names, each defined once, with what each means (<see cref="Descriptions"/>).
/// Money is in whole CNY. On chain the chain's standard metrics (submitted and committed transactions, commit
/// latency, throughput) measure the chain load beside these.
/// </summary>
public static class WarehouseMetrics
{
    public const string Applications = "pledge_applications";
    public const string Funded = "pledges_funded";
    public const string Refused = "pledges_refused";
    public const string FraudAttempts = "fraud_pledges_attempted";
    public const string FraudFunded = "fraud_pledges_funded";
    public const string FraudRefused = "fraud_pledges_refused";
    public const string FraudRefusedShare = "fraud_refused_share";
    public const string HonestRefused = "honest_pledges_refused";
    public const string FraudLots = "fraud_lots";
    public const string FraudLotsDetected = "fraud_lots_detected";
    public const string FraudLoss = "fraud_loss_cny";
    public const string FraudExposure = "fraud_exposure_cny";
    public const string FraudExposurePeak = "fraud_exposure_peak_cny";
    public const string FraudExposureEnd = "fraud_exposure_end_cny";
    public const string LoansFunded = "loans_funded_cny";
    public const string DetectionTime = "detection_time_s";
    public const string LoanTurnaround = "loan_turnaround_s";
    public const string SensorMessages = "sensor_messages";
    public const string SensorMessagesPerLotDay = "sensor_messages_per_lot_day";
    public const string SensorTransactions = "sensor_transactions";
    public const string ChainTxPerDay = "chain_tx_per_day";
    public const string ReceiptsIssued = "receipts_issued";
    public const string ReceiptsRefused = "receipts_refused";
    public const string AuditViolations = "receipt_audit_violations";
    public const string ReplicasAgree = "receipt_replicas_agree";
    public const string OnChain = "registry_on_chain";
    public const string PledgeStart = "pledge_start_s";
    public const string PledgeEnd = "pledge_end_s";
    public const string JourneyLot = "journey_lot";
    public const string JourneyStage = "journey_stage";
    public const string JourneyWho = "journey_who";
    public const string JourneyAt = "journey_at_s";
    public const string JourneyDetail = "journey_detail";

    public static readonly IReadOnlyList<(string Name, string Description)> Descriptions =
    [
        (Applications, "loan applications against warehouse receipts (the same in both registries)"),
        (Funded, "applications that got a loan"),
        (Refused, "applications the bank refused (on chain: the receipt contract refused the pledge)"),
        (FraudAttempts, "fraudulent pledges attempted: later pledges of a double-pledged receipt and pledges of phantom receipts"),
        (FraudFunded, "fraudulent pledges that got a loan"),
        (FraudRefused, "fraudulent pledges refused outright"),
        (FraudRefusedShare, "fraudulent pledges refused outright / attempted (0 when none attempted)"),
        (HonestRefused, "pledges by honest owners that were refused (should be 0)"),
        (FraudLots, "lots of fraudulent owners (double pledge, phantom receipts, goods removed)"),
        (FraudLotsDetected, "fraud lots on which some bank found the fraud (refusal, inspection, sensors or failed disposal) by the end"),
        (FraudLoss, "principal lent against fraudulent collateral and not recovered, CNY (realised at disposal, plus what is still open at the end)"),
        (FraudExposure, "series: principal outstanding on fraudulent pledges (and on pledges whose goods are being removed), CNY, at each bin's end"),
        (FraudExposurePeak, "largest fraudulent exposure over the run, CNY"),
        (FraudExposureEnd, "fraudulent exposure at the run's end, CNY"),
        (LoansFunded, "principal lent, CNY"),
        (DetectionTime, "samples: per fraud lot, first fraudulent act (second pledge application, phantom pledge application, start of removal) → first bank aware, seconds"),
        (LoanTurnaround, "samples: application → loan decided and paid out, funded loans, seconds"),
        (SensorMessages, "sensor readings taken (one per sensor per lot per interval), on chain"),
        (SensorMessagesPerLotDay, "sensor readings per lot in store per day, on chain (0 with separate registries)"),
        (SensorTransactions, "chain transactions carrying sensor readings (intake and interval batches)"),
        (ChainTxPerDay, "transactions submitted to the chain per day of the run (sensors, receipts, pledges)"),
        (ReceiptsIssued, "receipts on the ledger (on chain) or on paper (separate registries)"),
        (ReceiptsRefused, "receipts the contract refused to issue (beyond attested stock)"),
        (AuditViolations, "lots whose receipts broke the ledger's invariants after a block (beyond stock, wrong issuer, two pledges); must be 0"),
        (ReplicasAgree, "1 when replicas at the same height hold the same receipt-ledger state"),
        (OnChain, "which variant ran: 1 on chain, 0 separate bank registries"),
        (PledgeStart, "pledge timeline: application time of a sample of pledges, seconds (paired with pledge_end_s)"),
        (PledgeEnd, "pledge timeline: when that pledge was funded, refused or found out, seconds"),
        (JourneyLot, "followed lots (report: follow one lot): the lot's index, one sample per step; journey_stage, journey_who, journey_at_s and journey_detail align with it"),
        (JourneyStage, "followed lots: what the step was (0 arrived, 1 receipt issued, 2 receipt refused, 3 applied, 4 due diligence done, 5 funded, 6 refused, 7 removal started, 8 sensor flag, 9 detected, 10 released, 11 disposed)"),
        (JourneyWho, "followed lots: who took the step (warehouses 0…, then banks)"),
        (JourneyAt, "followed lots: when the step was taken, s"),
        (JourneyDetail, "followed lots: the step's detail (applied, funded: loan CNY; refused: reason code; detected: 1 refusal, 2 inspection, 3 sensors, 4 disposal; disposed, released: recovered CNY; receipt: 1 phantom)"),
    ];
}
