namespace Lab.Finance.Insurance;

/// <summary>How a claim went: paper from the start, automatically or via manual review on chain, or on paper after
/// the chain refused it for missing consent.</summary>
public enum ClaimRoute { None, Paper, OnChainAutomatic, OnChainReview, PaperAfterRefusal }

/// <summary>What happened to one visit's claim, written by the institutions that handled it.</summary>
public sealed class ClaimRecord
{
    /// <summary>When the claim started: the paper filing, or on chain the visit record leaving the hospital.</summary>
    public long FiledNs = -1;
    public long PaidNs = -1;
    public long PaidFen;
    public ClaimRoute Route;
    /// <summary>Manual touches: data entry, reviews, document chases.</summary>
    public int Touches;
    public bool Chased;
    /// <summary>On chain: the contract's refusal, and whether the insurer verified the record against the anchored root.</summary>
    public string? Refusal;
    public bool? EvidenceVerified;
    /// <summary>Every step, in the order the institutions took them; only for the followed claims (<see cref="ClaimLog.Step"/>).</summary>
    public List<ClaimStep>? Trail;
}

/// <summary>The records of a run, one per visit of the <see cref="InsuranceBook"/>, shared by the institutions of one run.</summary>
public sealed class ClaimLog
{
    public ClaimLog(int count)
    {
        Records = [.. Enumerable.Range(0, count).Select(_ => new ClaimRecord())];
        // Follow one claim: an evenly spaced sample of the book keeps a trail (the same claims in both processes).
        var every = Math.Max(1, count / ClaimTrail.Followed);
        for (int i = 0; i < count && i / every < ClaimTrail.Followed; i += every) Records[i].Trail = [];
    }

    public ClaimRecord[] Records { get; }

    /// <summary>Adds a step to the claim's trail if it is followed.</summary>
    public void Step(int visit, long atNs, ClaimStage stage, long detail = 0) => Records[visit].Trail?.Add(new ClaimStep(atNs, stage, detail));
}
