using Lab.Sim.Metrics;

namespace Lab.Consensus.Common;

/// <summary>
/// The metrics every consensus run reports, with one name and one definition each (issue 10):
/// whichever protocol runs, a chart of <see cref="ThroughputTps"/> draws every protocol's line.
/// <c>ChainWorld.Complete</c> derives the scalars, in one place; <see cref="Descriptions"/> documents
/// them for <c>lab list metrics</c>. Protocol-specific metrics sit beside these under the protocol's
/// prefix (<c>pbft_…</c>, <c>pow_…</c>).
/// </summary>
public static class StandardMetrics
{
    /// <summary>Transactions clients saw final per second, over whole series bins after warm-up (scalar).</summary>
    public const string ThroughputTps = "throughput_tps";
    /// <summary>Mean load the workload offered, transactions per second (0 for a closed loop) (scalar).</summary>
    public const string OfferedTps = "offered_tps";
    /// <summary>Submit → the client learns the transaction is final under the protocol's finality rule (samples, seconds).
    /// Its percentiles are scalars named by <see cref="Quantile.Name"/>: <c>commit_latency_p99_s</c>.</summary>
    public const string CommitLatency = "commit_latency_s";
    /// <summary>Mean of <see cref="CommitLatency"/> over the run (scalar, seconds).</summary>
    public const string CommitLatencyMean = "commit_latency_mean_s";
    /// <summary>Transactions clients saw final (counter, and series per bin).</summary>
    public const string CommittedTx = "committed_tx";
    /// <summary>Transactions clients submitted (counter, and series per bin).</summary>
    public const string SubmittedTx = "submitted_tx";
    /// <summary>Messages sent by all nodes (scalar; the kernel's count).</summary>
    public const string MessagesTotal = KernelMetrics.MessagesTotal;
    /// <summary>Bytes sent by all nodes (scalar; the kernel's count).</summary>
    public const string BytesTotal = KernelMetrics.BytesTotal;
    /// <summary>Protocol messages (replica to replica) per committed block (scalar).</summary>
    public const string MessagesPerDecision = "messages_per_decision";
    /// <summary>Protocol bytes (replica to replica) per committed block (scalar).</summary>
    public const string BytesPerDecision = "bytes_per_decision";
    /// <summary>Leaders installed: Raft elections won, BFT view changes (per replica), solo 0 (scalar).</summary>
    public const string LeaderElections = "leader_elections";
    /// <summary>Virtual seconds after warm-up with no leader able to serve (scalar).</summary>
    public const string UnavailableSeconds = "unavailable_s";
    /// <summary>CPU utilisation of the busiest replica, 0 to 1 (scalar).</summary>
    public const string CpuUtilisationMax = KernelMetrics.CpuUtilisationMax;
    /// <summary>Honest replicas committing different blocks at one height, a replica rewriting a committed
    /// height, or a final block reverted (scalar; 0 within tolerance).</summary>
    public const string SafetyViolations = KernelMetrics.SafetyViolations;
    /// <summary>Committed transactions never submitted (fabricated), committed twice, or blocks lost after a
    /// restart (scalar; 0 within tolerance).</summary>
    public const string ValidityViolations = "validity_violations";

    /// <summary>Transactions submitted before the last fault ended that are not final within <c>expect.liveness</c> of
    /// its end (scalar; reported only when the experiment expects liveness; 0 within tolerance).</summary>
    public const string LivenessViolations = "liveness_violations";

    /// <summary>The highest height an honest replica committed: the run's decisions (scalar).</summary>
    public const string Decisions = "decisions";
    /// <summary>Per replica node: blocks it committed, as <c>commits.&lt;node&gt;</c> (a fork shows as replicas that disagree).</summary>
    public const string CommitsPerNodePrefix = "commits.";
    /// <summary>Per replica node: its CPU utilisation, as <c>cpu_utilisation_&lt;node&gt;</c>.</summary>
    public const string CpuUtilisationNodePrefix = "cpu_utilisation_";
    /// <summary>Height of the first safety or validity violation, when there is one (scalar).</summary>
    public const string FirstViolationHeight = "first_violation_height";
    /// <summary>Virtual time of the first safety or validity violation, seconds (scalar).</summary>
    public const string FirstViolationTime = "first_violation_time_s";

    /// <summary>Messages a replica sent to another replica (counter, recorded by the protocols).</summary>
    public const string ProtocolMessages = "protocol_messages";
    /// <summary>Bytes a replica sent to another replica (counter, recorded by the protocols).</summary>
    public const string ProtocolBytes = "protocol_bytes";
    /// <summary>Blocks replicas applied for the first time (counter, summed over replicas).</summary>
    public const string AppliedBlocks = "applied_blocks";
    /// <summary>Transactions replicas applied for the first time (counter, summed over replicas).</summary>
    public const string AppliedTx = "applied_tx";
    /// <summary>Transactions whose signature did not verify at a replica (counter).</summary>
    public const string InvalidSignatures = "invalid_signatures";
    /// <summary>BFT replicas: views each replica installed (PBFT) or gave up on (HotStuff) (counter, summed over
    /// replicas; <see cref="LeaderElections"/> is its mean per replica node).</summary>
    public const string ViewChanges = "view_changes";
    /// <summary>Messages replicas rejected: bad signature, wrong sender, bad proof (counter).</summary>
    public const string RejectedMessages = Lab.Ledger.LedgerMetrics.RejectedMessages;

    /// <summary>Client resends after a timeout (counter).</summary>
    public const string ClientRetries = "client_retries";
    /// <summary>Client resends to the leader a follower named (counter).</summary>
    public const string ClientRedirects = "client_redirects";
    /// <summary>Final transactions the state machine rejected (counter).</summary>
    public const string RejectedTx = "rejected_tx";
    /// <summary>Transactions a client gave up on after its last attempt (counter).</summary>
    public const string AbandonedTx = "abandoned_tx";

    /// <summary>Finding kind of an agreement violation (the run's notes).</summary>
    public const string SafetyFinding = KernelMetrics.SafetyFinding;
    /// <summary>Finding kind of a validity violation.</summary>
    public const string ValidityFinding = "validity";
    /// <summary>Finding kind of a liveness violation (<see cref="LivenessChecker"/>).</summary>
    public const string LivenessFinding = "liveness";

    /// <summary>The percentiles derived as scalars from <see cref="CommitLatency"/>, named by <see cref="Quantile.Name"/>.</summary>
    public static readonly IReadOnlyList<double> LatencyPercentiles = [0.50, 0.90, 0.99];

    /// <summary>The standard set every protocol reports, with what each means (for <c>lab list metrics</c> and the docs).</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Descriptions =
    [
        (ThroughputTps, "transactions clients saw final per second, over whole series bins after warm-up"),
        (OfferedTps, "mean load the open-loop workload offered (0 for a closed loop)"),
        (CommitLatency, "submit → the client learns the transaction is final under the protocol's finality rule (samples)"),
        (CommitLatencyMean, "mean commit latency"),
        .. LatencyPercentiles.Select(p => (Quantile.Name(CommitLatency, p), $"commit latency, {p * 100:0}th percentile (linear interpolation, type 7)")),
        (MessagesTotal, "messages sent by all nodes (kernel count)"),
        (BytesTotal, "bytes sent by all nodes (kernel count)"),
        (MessagesPerDecision, "replica-to-replica messages per committed block"),
        (BytesPerDecision, "replica-to-replica bytes per committed block"),
        (LeaderElections, "leaders installed: Raft elections won, BFT view changes per replica, solo 0"),
        (UnavailableSeconds, "virtual time after warm-up with no leader able to serve"),
        (CpuUtilisationMax, "CPU utilisation of the busiest replica, 0 to 1, from the warm-up to the end"),
        (SafetyViolations, "honest replicas committing different blocks at one height, or rewriting one (0 within tolerance)"),
        (ValidityViolations, "committed transactions never submitted, committed twice, or lost after a restart (0 within tolerance)"),
        (Decisions, "the highest height an honest replica committed"),
        (CommitsPerNodePrefix + "<node>", "blocks each replica committed (a fork shows as replicas that disagree)"),
    ];
}
