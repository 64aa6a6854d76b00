namespace Lab.Consensus.Solo;

/// <summary>Counters of the solo orderer's peers beside the standard chain metrics (<c>StandardMetrics</c>).</summary>
public static class SoloMetrics
{
    /// <summary>Blocks a peer refused because they do not extend its chain's tip (counter).</summary>
    public const string RejectedBlocks = "rejected_blocks";
}
