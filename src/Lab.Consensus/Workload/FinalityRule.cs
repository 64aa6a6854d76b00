using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>Where a client sends a transaction.</summary>
public enum TargetSelection
{
    /// <summary>One replica at a time: the believed leader (Raft) or primary (PBFT), following
    /// <c>LeaderHint</c> redirects and moving to the next replica on timeout.</summary>
    Leader,
    /// <summary>Every replica at once (BFT clients that cannot trust a single primary).</summary>
    All,
}

/// <summary>
/// When a client may consider its transaction final, and how it chases it: the protocol's rule.
/// Raft and solo: one committed reply from the leader. BFT: f+1 matching replies (one is honest).
/// </summary>
public sealed record FinalityRule
{
    /// <summary>Matching committed replies (same height and outcome, from distinct replicas) needed. Default 1.</summary>
    public int RepliesNeeded { get; init; } = 1;
    /// <summary>Default: the leader, with redirects.</summary>
    public TargetSelection Target { get; init; } = TargetSelection.Leader;
    /// <summary>Resend a transaction not final after this long (to the next replica for <see cref="TargetSelection.Leader"/>). Default 1 s.</summary>
    public Duration RetryTimeout { get; init; } = Duration.FromSeconds(1);
    /// <summary>After a "not leader, no idea who is" reply, try the next replica after this long. Default 50 ms.</summary>
    public Duration RedirectBackoff { get; init; } = Duration.FromMillis(50);
    /// <summary>Give up after this many sends (counted as <c>abandoned_tx</c>). Default 20.</summary>
    public int MaxAttempts { get; init; } = 20;

    /// <summary>Raft and the solo orderer: one reply from the leader.</summary>
    public static readonly FinalityRule LeaderReply = new();

    /// <summary>BFT with up to <paramref name="f"/> Byzantine replicas: f+1 matching replies from all replicas.</summary>
    public static FinalityRule MatchingReplies(int f) => new() { RepliesNeeded = f + 1, Target = TargetSelection.All };
}
