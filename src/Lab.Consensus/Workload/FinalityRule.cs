using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>Where a client sends a transaction, first and on retry.</summary>
public enum TargetSelection
{
    /// <summary>One replica at a time: the believed leader (Raft, solo), following <c>LeaderHint</c>
    /// redirects (Raft §8) and moving to the next replica on timeout. First guesses are spread over the replicas.</summary>
    Leader,
    /// <summary>The believed primary (the primary of view 0 first, then whoever replies name in
    /// <c>LeaderHint</c>); a request not final in time goes to every replica, the timeout doubling each
    /// time (Castro-Liskov §4.1: the primary may be faulty, so ask everyone).</summary>
    Primary,
    /// <summary>Every replica at once (HotStuff: every replica keeps a mempool and leaders rotate); on
    /// timeout every replica again, the timeout doubling each time.</summary>
    All,
    /// <summary>One fixed replica, the client's gateway (identity = client node index mod replicas), also on
    /// retry: a wallet that trusts the node it runs, e.g. a proof-of-work node reporting confirmations.</summary>
    Gateway,
}

/// <summary>
/// When a client may consider its transaction final, and how it chases it: each protocol gives its
/// own (<c>ChainProtocol.Finality</c>). Raft and solo: one committed reply from the leader. PBFT and
/// HotStuff: f+1 matching replies from distinct replica identities (at least one is honest; a twin's
/// two instances count once). Proof of work: a reply from the gateway reporting k confirmations.
/// </summary>
public sealed record FinalityRule
{
    /// <summary>Matching committed replies (same height and outcome, from distinct replica identities) needed. Default 1.</summary>
    public int RepliesNeeded { get; init; } = 1;

    /// <summary>A committed reply counts only once it reports at least this many confirmations
    /// (<c>ClientReply.Confirmations</c>; a reply without the field counts as final). Default 0: committed is final.</summary>
    public int ConfirmationsNeeded { get; init; }

    /// <summary>Default: the leader, with redirects.</summary>
    public TargetSelection Target { get; init; } = TargetSelection.Leader;

    /// <summary>Resend a transaction not final after this long. Default 1 s (<c>workload.retry-timeout</c>).</summary>
    public Duration RetryTimeout { get; init; } = Duration.FromSeconds(1);

    /// <summary>Double the retry timeout after each resend of a transaction. Default: on for
    /// <see cref="TargetSelection.Primary"/> and <see cref="TargetSelection.All"/>.</summary>
    public bool BackOff => Target is TargetSelection.Primary or TargetSelection.All;

    /// <summary>After a "not leader, no idea who is" reply, try the next replica after this long. Default 50 ms.</summary>
    public Duration RedirectBackoff { get; init; } = Duration.FromMillis(50);

    /// <summary>Give up after this many sends (counted as <c>abandoned_tx</c>). Default 20.</summary>
    public int MaxAttempts { get; init; } = 20;

    /// <summary>Raft and the solo orderer: one reply from the leader.</summary>
    public static readonly FinalityRule LeaderReply = new();

    /// <summary>PBFT with up to <paramref name="f"/> Byzantine replicas: f+1 matching replies; requests go to the primary, retries to all.</summary>
    public static FinalityRule PrimaryQuorum(int f) => new() { RepliesNeeded = f + 1, Target = TargetSelection.Primary };

    /// <summary>Rotating-leader BFT (HotStuff) with up to <paramref name="f"/> Byzantine replicas: f+1 matching replies; requests go to all.</summary>
    public static FinalityRule AllReplicas(int f) => new() { RepliesNeeded = f + 1, Target = TargetSelection.All };

    /// <summary>Final when the client's gateway reports <paramref name="k"/> confirmations (proof of work).</summary>
    public static FinalityRule Confirmations(int k) => new() { ConfirmationsNeeded = k, Target = TargetSelection.Gateway };

    /// <summary>Checks the combination: one reply from a single target, at least one reply otherwise.</summary>
    public void Validate()
    {
        if (RepliesNeeded < 1) throw new ArgumentException("a finality rule needs at least one reply");
        if (RepliesNeeded > 1 && Target is TargetSelection.Leader or TargetSelection.Gateway)
            throw new ArgumentException($"a client talking to one replica at a time ({Target}) cannot wait for {RepliesNeeded} replies");
        if (ConfirmationsNeeded < 0) throw new ArgumentException("confirmations cannot be negative");
        if (RetryTimeout.Nanos <= 0) throw new ArgumentException("the retry timeout must be positive");
        if (MaxAttempts < 1) throw new ArgumentException("a client makes at least one attempt");
    }

    /// <summary>The rule in words, for reports: "2 matching replies of 4 replicas".</summary>
    public string Describe(int replicas)
    {
        var replies = RepliesNeeded == 1 ? "one committed reply" : $"{RepliesNeeded} matching committed replies of {replicas} replicas";
        var final = ConfirmationsNeeded > 0 ? $"{ConfirmationsNeeded} confirmations" : replies;
        return Target switch
        {
            TargetSelection.Leader => $"{final} from the leader",
            TargetSelection.Primary => $"{final} (sent to the primary, to every replica on timeout)",
            TargetSelection.All => $"{final} (sent to every replica)",
            _ => $"{final} reported by the gateway replica",
        };
    }
}
