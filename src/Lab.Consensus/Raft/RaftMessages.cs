using Lab.Ledger.Blocks;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Raft;

/// <summary>One log entry: a block and the term in which a leader created it (§5.3). Its index is the block's height.</summary>
public sealed record LogEntry(long Term, Block Block)
{
    public long Index => Block.Height;
}

/// <summary>RequestVote RPC (§5.2, Figure 2); with <paramref name="PreVote"/> a pre-vote probe (thesis §9.6) for term <paramref name="Term"/>.</summary>
public sealed record RequestVote(long Term, NodeId Candidate, long LastLogIndex, long LastLogTerm, bool PreVote)
{
    public const int SizeBytes = 48;
}

public sealed record RequestVoteReply(long Term, bool Granted, bool PreVote)
{
    public const int SizeBytes = 24;
}

/// <summary>AppendEntries RPC (§5.3, Figure 2): replicates entries and doubles as the heartbeat.</summary>
public sealed record AppendEntries(long Term, NodeId Leader, long PrevLogIndex, long PrevLogTerm, IReadOnlyList<LogEntry> Entries, long LeaderCommit)
{
    public const int HeaderBytes = 64;
}

/// <summary>
/// Reply to AppendEntries. On success <paramref name="MatchIndex"/> is the last index known to match
/// the leader; on failure <paramref name="ConflictIndex"/> is where the leader should retry from
/// (§5.3's optimisation: skip a whole conflicting term at once). <paramref name="PrevLogIndex"/> echoes the request.
/// </summary>
public sealed record AppendEntriesReply(long Term, bool Success, long MatchIndex, long ConflictIndex, long PrevLogIndex)
{
    public const int SizeBytes = 40;
}

/// <summary>
/// CockroachDB's quiesce heartbeat (a <c>MsgHeartbeat</c> with <c>Quiesce</c> set): the leader's last index and term,
/// which the follower's log must match, and its commit index. Sent once; nothing answers it.
/// </summary>
public sealed record QuiesceHeartbeat(long Term, NodeId Leader, long LastIndex, long LastTerm, long LeaderCommit)
{
    public const int SizeBytes = 48;
}

/// <summary>A node's liveness heartbeat: its record is valid until <paramref name="Expiry"/> (CockroachDB's node
/// liveness, modelled as a broadcast to the other servers rather than a write to the replicated liveness range).
/// <paramref name="Restarted"/> on a node's first heartbeat after it starts stands for CockroachDB's liveness epoch.</summary>
public sealed record NodeLiveness(NodeId Node, Lab.Sim.Time.SimTime Expiry, bool Restarted)
{
    public const int SizeBytes = 32;
}
