using Lab.Sim.Metrics;

namespace Lab.Consensus.Common;

/// <summary>
/// The metrics every consensus run reports, with one name and one definition each (issue 10):
/// whichever protocol runs, a chart of <see cref="ThroughputTps"/> draws every protocol's line.
/// Protocol-specific metrics sit beside these under the protocol's prefix (<c>pbft_…</c>, <c>pow_…</c>).
/// </summary>
public static class StandardMetrics
{
    /// <summary>Transactions clients saw final per second, over whole series bins after warm-up (scalar).</summary>
    public const string ThroughputTps = "throughput_tps";
    /// <summary>Mean load the workload offered, transactions per second (0 for a closed loop) (scalar).</summary>
    public const string OfferedTps = "offered_tps";
    /// <summary>Submit → the client learns the transaction is final under the protocol's finality rule (samples, seconds).</summary>
    public const string CommitLatency = "commit_latency_s";
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
    /// <summary>Leaders installed: Raft elections won, BFT view changes, solo 0 (scalar).</summary>
    public const string LeaderElections = "leader_elections";
    /// <summary>Virtual seconds after warm-up with no leader able to serve (scalar).</summary>
    public const string UnavailableSeconds = "unavailable_s";
    /// <summary>CPU utilisation of the busiest replica, 0 to 1 (scalar).</summary>
    public const string CpuUtilisationMax = KernelMetrics.CpuUtilisationMax;
    /// <summary>Honest replicas committing different blocks at one height, or a final block reverted (scalar; 0 within tolerance).</summary>
    public const string SafetyViolations = "safety_violations";
    /// <summary>Committed transactions never submitted, committed twice, or lost after a restart (scalar; 0 within tolerance).</summary>
    public const string ValidityViolations = "validity_violations";

    /// <summary>The percentiles derived as scalars from <see cref="CommitLatency"/>, named by <see cref="Quantile.Name"/>.</summary>
    public static readonly IReadOnlyList<double> LatencyPercentiles = [0.50, 0.90, 0.99];
}
