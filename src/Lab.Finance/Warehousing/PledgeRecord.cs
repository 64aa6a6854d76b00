namespace Lab.Finance.Warehousing;

/// <summary>How a fraud came to light at a bank.</summary>
public enum Detection { None, Refused, Inspection, Sensors, Disposal }

/// <summary>What happened to one loan application at its bank (times in virtual nanoseconds, −1: not yet).</summary>
public sealed class PledgeRecord
{
    /// <summary>When due diligence ended (on chain: when the pledge was submitted to the contract).</summary>
    public long DiligenceDoneNs { get; set; } = -1;
    public long DecidedNs { get; set; } = -1;
    public bool Funded { get; set; }
    public string? RefusedReason { get; set; }
    public long DetectedNs { get; set; } = -1;
    public Detection DetectedBy { get; set; }
    public long ClosedNs { get; set; } = -1;
    public bool Defaulted { get; set; }
    public long RecoveredCny { get; set; }
}
