using Lab.Consensus.Common;

namespace Lab.Consensus.Byzantine;

/// <summary>Counters the BFT replicas record, beside the standard chain metrics.</summary>
public static class BftMetrics
{
    /// <summary>Messages an honest replica rejected: a signature that does not verify, a wrong sender,
    /// or a certificate inside that does not hold (counter).</summary>
    public const string RejectedMessages = StandardMetrics.RejectedMessages;
    /// <summary>PBFT view-change messages rejected because their checkpoint or prepared certificates do not verify (counter).</summary>
    public const string PbftInvalidViewChanges = "pbft_invalid_view_changes";
    /// <summary>PBFT new-view messages rejected: V is not 2f+1 valid view-changes, or O is not what V implies (counter).</summary>
    public const string PbftInvalidNewViews = "pbft_invalid_new_views";
    /// <summary>HotStuff quorum or timeout certificates that do not verify against the committee and the signed value (counter).</summary>
    public const string HotStuffInvalidCertificates = "hotstuff_invalid_certificates";
    /// <summary>Valid HotStuff proposals an honest replica refused to vote for: neither extending its lock
    /// nor justified by a newer QC (safeNode, Algorithm 1) (counter).</summary>
    public const string HotStuffUnsafeProposals = "hotstuff_unsafe_proposals";
}
