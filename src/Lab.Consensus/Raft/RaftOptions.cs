using Lab.Sim.Time;

namespace Lab.Consensus.Raft;

/// <summary>
/// The <c>chain.raft:</c> parameters. Defaults follow the Raft paper's example values (§9.3:
/// election timeouts 150–300 ms, heartbeats well below them).
/// </summary>
public sealed record RaftOptions
{
    /// <summary>Election timeouts are drawn uniformly from [min, max) (§5.2). Default 150 ms.</summary>
    public Duration ElectionTimeoutMin { get; init; } = Duration.FromMillis(150);
    /// <summary>Default 300 ms.</summary>
    public Duration ElectionTimeoutMax { get; init; } = Duration.FromMillis(300);
    /// <summary>Leader heartbeat (empty AppendEntries) interval (§5.2). Default 50 ms.</summary>
    public Duration Heartbeat { get; init; } = Duration.FromMillis(50);
    /// <summary>Most log entries (blocks) in one AppendEntries. Default 16.</summary>
    public int MaxBatchEntries { get; init; } = 16;
    /// <summary>AppendEntries with entries in flight per follower before waiting for acks (pipelining). Default 8.</summary>
    public int PipelineDepth { get; init; } = 8;
    /// <summary>Pre-vote (Ongaro's thesis §9.6): a candidate first checks it could win, so a rejoining
    /// partitioned node does not disrupt the cluster with a higher term. Default off (the paper's Raft).</summary>
    public bool PreVote { get; init; }
    /// <summary>Check quorum (thesis §6.2): a leader that has not heard from a majority for an election
    /// timeout steps down, so clients stop waiting on it. Default on.</summary>
    public bool CheckQuorum { get; init; } = true;
    /// <summary>
    /// etcd's choice: a server that steps down to a higher term also restarts its election timer
    /// (etcd-io/raft <c>becomeFollower</c> → <c>reset</c>), even when it grants no vote. Figure 2 of the
    /// paper resets the timer only on AppendEntries from the current leader, on granting a vote and on
    /// starting an election. Default off (Figure 2).
    /// </summary>
    public bool ResetTimerOnHigherTerm { get; init; }
    /// <summary>Time to persist a log append or a term/vote change before acting on it. Default 0 (in-memory).</summary>
    public Duration DiskWrite { get; init; } = Duration.Zero;
    /// <summary>
    /// Quiescence as CockroachDB does it for idle ranges (pkg/kv/kvserver/replica_raft_quiesce.go): a leader whose
    /// followers have all acknowledged its last index, with everything committed and nothing pending, sends one
    /// quiesce heartbeat and stops heartbeating; a quiesced follower stops its election timer and does not
    /// campaign while the leader's node-liveness record is valid. A new proposal, any Raft message but the quiesce
    /// itself, the leader's liveness expiring, or (at the leader) a follower coming back to life wake it up.
    /// Default off (the paper's Raft).
    /// </summary>
    public bool Quiesce { get; init; }
    /// <summary>Node liveness heartbeat interval: CockroachDB renews a record at half its expiry, 4.5 s of 9 s
    /// (pkg/base/config.go, <c>NodeLivenessDurations</c>; later versions shorten both). Only with <see cref="Quiesce"/>.</summary>
    public Duration LivenessHeartbeat { get; init; } = Duration.FromMillis(4500);
    /// <summary>How long a liveness record stays valid after its heartbeat (CockroachDB: 9 s, the range lease duration).</summary>
    public Duration LivenessExpiry { get; init; } = Duration.FromSeconds(9);

    public void Validate()
    {
        if (ElectionTimeoutMin.Nanos <= 0 || ElectionTimeoutMax < ElectionTimeoutMin)
            throw new ArgumentException("raft election-timeout needs 0 < min ≤ max");
        if (Heartbeat.Nanos <= 0 || Heartbeat >= ElectionTimeoutMin)
            throw new ArgumentException("raft heartbeat must be positive and shorter than the minimum election timeout (§5.6)");
        if (MaxBatchEntries < 1) throw new ArgumentException("raft max-batch must be at least 1");
        if (PipelineDepth < 1) throw new ArgumentException("raft pipeline-depth must be at least 1");
        if (Quiesce && !(LivenessHeartbeat.Nanos > 0 && LivenessHeartbeat < LivenessExpiry))
            throw new ArgumentException("raft liveness heartbeat must be positive and shorter than the liveness expiry");
    }
}
