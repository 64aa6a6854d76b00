using Lab.Consensus.Byzantine;
using Lab.Ledger.Batching;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;

namespace Lab.Consensus.Pbft;

/// <summary>
/// A PBFT replica's state, kept on its durable store (Castro-Liskov assume replicas log to stable
/// storage), so a crash-restart resumes where it stopped; the state machine is rebuilt from
/// <see cref="Executed"/>. Timers are volatile.
/// </summary>
public sealed class PbftState(BlockOptions block)
{
    public const string StorageKey = "pbft.state";

    public long View;
    /// <summary>False between sending a view-change and installing the new view (§4.4).</summary>
    public bool ViewActive = true;
    /// <summary>The last stable checkpoint with its proof (§4.3): adopted only with 2f+1 matching checkpoint messages.</summary>
    public CheckpointCertificate Stable = CheckpointCertificate.Genesis;
    /// <summary>Low watermark h: the last stable checkpoint's sequence number.</summary>
    public long LowWatermark => Stable.Seq;
    public Hash StableState => Stable.State;
    public long LastExecuted;
    /// <summary>Digest of the state at the last checkpoint boundary (a multiple of K): what checkpoints certify.</summary>
    public Hash StateDigest;
    public long NextSeq = 1;
    public int ConsecutiveViewChanges;
    public long NewViewSentFor = -1;
    /// <summary>The new-view of the current view, passed on to replicas that missed it.</summary>
    public NewView? LastNewView;

    public readonly SortedDictionary<long, Slot> Log = [];
    /// <summary>Checkpoint messages by sequence number and state digest, kept for the stable-checkpoint certificate.</summary>
    public readonly SortedDictionary<long, Dictionary<Hash, VoteSet>> CheckpointVotes = [];
    public readonly SortedDictionary<long, SortedDictionary<int, ViewChange>> ViewChanges = [];
    /// <summary>Executed batches, index = sequence number − 1 (for state transfer).</summary>
    public readonly List<Block> Executed = [];
    public readonly Dictionary<TxId, long> ExecutedTx = new();

    /// <summary>Requests received and not executed yet, in arrival order (removed on execution).</summary>
    public readonly Mempool Waiting = new(block);
    /// <summary>Requests in a batch that has a sequence number in the current view (not to be batched again).</summary>
    public readonly HashSet<TxId> Assigned = new();
}

/// <summary>Everything a replica knows about one sequence number.</summary>
public sealed class Slot(long seq)
{
    public long Seq { get; } = seq;
    /// <summary>View of the accepted pre-prepare (−1: none).</summary>
    public long View = -1;
    public Hash Digest;
    public Block? Batch;
    /// <summary>The pre-prepare accepted for <see cref="View"/> (from the primary, or from a new-view's O).</summary>
    public PrePrepare? PrePrepare;
    /// <summary>Prepares by (view, digest), with the signed messages (a prepared certificate carries them).</summary>
    public readonly Dictionary<(long View, Hash Digest), VoteSet> Prepares = [];
    public readonly Dictionary<(long View, Hash Digest), VoteSet> Commits = [];
    public long CommitSentView = -1;
    /// <summary>The highest-view prepared certificate this replica holds (its entry in §4.4's set P).</summary>
    public PreparedCertificate? Prepared;
    public bool Committed;
    public Block? CommittedBatch;

    public static VoteSet Votes(Dictionary<(long, Hash), VoteSet> votes, long view, Hash digest)
    {
        if (!votes.TryGetValue((view, digest), out var set)) votes[(view, digest)] = set = new VoteSet();
        return set;
    }
}
