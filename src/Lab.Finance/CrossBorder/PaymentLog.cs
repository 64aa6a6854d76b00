namespace Lab.Finance.CrossBorder;

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
}

/// <summary>The records of a run, one per payment of the <see cref="PaymentBook"/>, shared by the banks of one run.</summary>
public sealed class PaymentLog(int count)
{
    public PaymentRecord[] Records { get; } = [.. Enumerable.Range(0, count).Select(_ => new PaymentRecord())];
}
