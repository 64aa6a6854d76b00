namespace Lab.Consensus.Raft;

/// <summary>Counters Raft replicas record beside the standard chain metrics (<c>StandardMetrics</c>).</summary>
public static class RaftMetrics
{
    /// <summary>Pre-vote rounds a follower started (thesis §9.6; only with pre-vote on) (counter).</summary>
    public const string PreVotesStarted = "pre_votes_started";
    /// <summary>Elections a candidate started (§5.2) (counter).</summary>
    public const string ElectionsStarted = "elections_started";
    /// <summary>Times a leader heard no acknowledgement from a follower for an election timeout and resent from the last index known to match (counter).</summary>
    public const string PipelineResets = "raft_pipeline_resets";
    /// <summary>Log entries a follower removed because they conflicted with the leader's (§5.3) (counter).</summary>
    public const string EntriesTruncated = "raft_entries_truncated";
    /// <summary>Rejected AppendEntries after which the leader moved a follower's next index back to repair its log (§5.3) (counter).</summary>
    public const string Repairs = "raft_repairs";
}
