using Lab.Sim.Nodes;

namespace Lab.Consensus.Raft;

/// <summary>
/// "Persistent state on all servers" (Figure 2): current term, vote, log. Lives in the node's
/// durable store, so it survives crash-restart; updated before the replica answers any RPC.
/// </summary>
public sealed class RaftDurableState
{
    public const string StorageKey = "raft.state";

    public static RaftDurableState Of(INodeContext ctx) => ctx.Storage.GetOrAdd(StorageKey, () => new RaftDurableState());

    public long CurrentTerm { get; set; }
    public NodeId? VotedFor { get; set; }
    /// <summary>Entries by index: Log[i] has index i + 1.</summary>
    public List<LogEntry> Log { get; } = [];

    public long LastIndex => Log.Count;
    public long LastTerm => Log.Count == 0 ? 0 : Log[^1].Term;
    public long TermAt(long index) => index == 0 ? 0 : Log[(int)index - 1].Term;
    public LogEntry EntryAt(long index) => Log[(int)index - 1];
}
