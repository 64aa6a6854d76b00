using Lab.Consensus.Common;
using Lab.Consensus.Raft;
using Lab.Experiments.Schema;

namespace Lab.Experiments.Models;

/// <summary><c>chain.protocol: raft</c> — Raft (Ongaro &amp; Ousterhout 2014), crash fault tolerant: n ≥ 2f+1.</summary>
public sealed class RaftModel() : ChainModel(new RaftProtocol(new RaftOptions()))
{
    public override string Description => "Raft: leader election and log replication; tolerates f crashed of 2f+1 (private/consortium chains)";

    public override IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        new(RaftMetrics.ElectionsStarted, "elections candidates started (§5.2)"),
        new(RaftMetrics.PreVotesStarted, "pre-vote rounds started (thesis §9.6; with chain.raft.pre-vote)"),
        new(RaftMetrics.PipelineResets, "times a leader heard nothing from a follower for an election timeout and resent from the last matching index"),
        new(RaftMetrics.EntriesTruncated, "log entries followers removed because they conflicted with the leader's (§5.3)"),
        new(RaftMetrics.Repairs, "rejected AppendEntries after which the leader moved a follower's next index back (§5.3)"),
    ];

    public override IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.TimeDistribution("chain.raft.election-timeout", "Randomised election timeout: a follower that hears no leader for this long starts an election.", "uniform(150ms, 300ms)"),
        Key.Time("chain.raft.heartbeat", "Interval of the leader's empty AppendEntries.", "50ms", min: 1e-6),
        Key.Int("chain.raft.max-batch", "Most log entries (blocks) in one AppendEntries.", 16, min: 1),
        Key.Int("chain.raft.pipeline", "AppendEntries a leader keeps in flight per follower.", 8, min: 1),
        Key.Bool("chain.raft.pre-vote", "Pre-vote round before an election (§9.6 of Ongaro's thesis): a partitioned node cannot disrupt the cluster.", false),
        Key.Bool("chain.raft.check-quorum", "A leader that cannot reach a majority for an election timeout steps down.", true),
        Key.Bool("chain.raft.reset-on-higher-term", "Stepping down to a higher term also restarts the election timer, as etcd does; off is the paper's Figure 2 (only AppendEntries from the leader, a granted vote or a new election restart it).", false),
        Key.Time("chain.raft.disk-write", "CPU/disk time to persist log entries before acknowledging them.", "0s"),
        Key.Bool("chain.raft.quiesce", "Quiesce an idle group as CockroachDB does: once every live follower has acknowledged the leader's last index and nothing is pending, the leader stops heartbeating and followers stop their election timers while the leader's node liveness is valid; a proposal, a vote request, the leader's liveness expiring or a follower coming back wakes it. For long runs with little traffic (months of virtual time). Off: the paper's Raft.", false),
        Key.Time("chain.raft.liveness-heartbeat", "With quiesce: interval of each node's liveness heartbeat (CockroachDB: 4.5 s, half the expiry).", "4.5s", min: 1e-6),
        Key.Time("chain.raft.liveness-expiry", "With quiesce: how long a liveness record stays valid after its heartbeat (CockroachDB: 9 s). A quiesced follower campaigns once the leader's record expires, so a crashed quiesced leader is replaced within about this plus an election timeout.", "9s", min: 1e-6),
    ];

    public override ChainProtocol Protocol(RunContext context) => new RaftProtocol(Options(context.Config));

    /// <summary>The protocol options of one run.</summary>
    public static RaftOptions Options(RunConfig c)
    {
        var (low, high) = ChainConfig.Range(c.Distribution("chain.raft.election-timeout"));
        return new RaftOptions
        {
            ElectionTimeoutMin = low,
            ElectionTimeoutMax = high,
            Heartbeat = c.Time("chain.raft.heartbeat"),
            MaxBatchEntries = c.Int("chain.raft.max-batch"),
            PipelineDepth = c.Int("chain.raft.pipeline"),
            PreVote = c.Bool("chain.raft.pre-vote"),
            CheckQuorum = c.Bool("chain.raft.check-quorum"),
            ResetTimerOnHigherTerm = c.Bool("chain.raft.reset-on-higher-term"),
            DiskWrite = c.Time("chain.raft.disk-write"),
            Quiesce = c.Bool("chain.raft.quiesce"),
            LivenessHeartbeat = c.Time("chain.raft.liveness-heartbeat"),
            LivenessExpiry = c.Time("chain.raft.liveness-expiry"),
        };
    }
}
