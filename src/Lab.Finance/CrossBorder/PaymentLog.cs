namespace Lab.Finance.CrossBorder;

/// <summary>What a bank did with a payment, for the report's "follow one payment".</summary>
public enum PaymentStage
{
    /// <summary>The originator's instruction reached the sending bank.</summary>
    Instructed,
    /// <summary>A pacs.008 reached an intermediary or the receiving bank.</summary>
    Arrived,
    /// <summary>Screened and passed on as pacs.008 to the next bank.</summary>
    PassedOn,
    /// <summary>Passed on after converting into the receiver's currency.</summary>
    Converted,
    /// <summary>Rejected by compliance; a return (pacs.004) starts back along the chain.</summary>
    Rejected,
    /// <summary>A return reached a bank on its way back.</summary>
    ReturnArrived,
    /// <summary>A bank passed the return on towards the sender.</summary>
    ReturnPassedOn,
    /// <summary>The return reached the originator's account.</summary>
    Returned,
    /// <summary>The receiving bank credited the beneficiary.</summary>
    Credited,
    /// <summary>On the ledger: the sending bank submitted the PvP call.</summary>
    Submitted,
    /// <summary>On the ledger: the call was final and the beneficiary credited.</summary>
    Final,
    /// <summary>On the ledger: the contract refused the call.</summary>
    Refused,
}

/// <summary>One step of a payment's trail: when, at which bank (index in the options' banks), what.</summary>
public readonly record struct PaymentStep(long AtNs, int Bank, PaymentStage Stage);

/// <summary>What happened to one payment, written by the banks that handled it (each field by one bank, once).</summary>
public sealed class PaymentRecord
{
    /// <summary>When the sending bank released it (pacs.008 sent, or the ledger call submitted); null: stopped at the sender.</summary>
    public long? ReleasedNs;
    /// <summary>When the receiving bank was credited (the last intermediary's pacs.008 arrived, or the PvP call was final).</summary>
    public long? ReceivingBankNs;
    /// <summary>When the beneficiary's account was credited.</summary>
    public long? BeneficiaryNs;
    /// <summary>When the payment was rejected at the sender or refused by the ledger contract.</summary>
    public long? FailedNs;
    /// <summary>Where the correspondent chain rejected it (hop index), and when the return reached the sender.</summary>
    public int? RejectedAtHop;
    public long? ReturnedNs;
    /// <summary>Why it failed or was returned: "sanctions", "kyc", "funds", "compliance".</summary>
    public string? Reason;
    /// <summary>Fees deducted or charged, and the FX margin, in USD.</summary>
    public double FeesUsd, FxCostUsd;
    /// <summary>What the beneficiary received, in the receiver's currency (minor units).</summary>
    public long CreditedMinor;
    /// <summary>Every step, in the order the banks took them.</summary>
    public List<PaymentStep> Trail { get; } = [];
}

/// <summary>The records of a run, one per payment of the <see cref="PaymentBook"/>, shared by the banks of one run.</summary>
public sealed class PaymentLog(int count)
{
    public PaymentRecord[] Records { get; } = [.. Enumerable.Range(0, count).Select(_ => new PaymentRecord())];
}
