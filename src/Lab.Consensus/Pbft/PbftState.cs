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

    public readonly SlotLog Log = new();
    /// <summary>Checkpoint messages by sequence number and state digest, kept for the stable-checkpoint certificate.</summary>
    public readonly SortedDictionary<long, Dictionary<Hash, VoteSet>> CheckpointVotes = [];
    public readonly SortedDictionary<long, SortedDictionary<int, ViewChange>> ViewChanges = [];
    /// <summary>Executed batches, index = sequence number − 1 (for state transfer).</summary>
    public readonly List<Block> Executed = [];
    /// <summary>Executed requests → the sequence number that executed them (a dense per-client index with a newest-per-client filter: every replica holds one entry per request of the run).</summary>
    public readonly CommittedRequests ExecutedTx = new();

    /// <summary>Requests received and not executed yet, in arrival order (removed on execution).</summary>
    public readonly Mempool Waiting = new(block);
    /// <summary>Requests in a batch that has a sequence number in the current view (not to be batched again).</summary>
    public readonly HashSet<TxId> Assigned = new();
}

/// <summary>
/// The message log (§4.2–4.3): a slot per sequence number above the stable checkpoint. Every protocol message
/// looks its slot up, so slots are found by a hash of the sequence number; the log is walked in sequence order
/// only by a view change (rarely), which sorts then. Garbage collection below a stable checkpoint (every K
/// batches) walks the few hundred slots of the watermark window.
/// </summary>
public sealed class SlotLog
{
    private readonly Dictionary<long, Slot> _bySeq = [];

    public int Count => _bySeq.Count;

    public bool TryGet(long seq, out Slot slot) => _bySeq.TryGetValue(seq, out slot!);

    /// <summary>The slot for <paramref name="seq"/>, created empty (for a committee of <paramref name="replicas"/>) if there is none.</summary>
    public Slot GetOrAdd(long seq, int replicas)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_bySeq, seq, out var existed);
        if (!existed) slot = new Slot(seq, replicas);
        return slot!;
    }

    /// <summary>Removes every slot at or below <paramref name="seq"/>.</summary>
    public void RemoveUpTo(long seq)
    {
        foreach (var key in _bySeq.Keys)
            if (key <= seq) _bySeq.Remove(key);   // removing while enumerating a Dictionary is allowed
    }

    /// <summary>The slots in ascending sequence order.</summary>
    public List<Slot> InOrder()
    {
        var slots = new List<Slot>(_bySeq.Values);
        slots.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        return slots;
    }
}

/// <summary>Everything a replica knows about one sequence number.</summary>
public sealed class Slot(long seq, int replicas)
{
    public long Seq { get; } = seq;
    /// <summary>View of the accepted pre-prepare (−1: none).</summary>
    public long View = -1;
    public Hash Digest;
    public Block? Batch;
    /// <summary>The pre-prepare accepted for <see cref="View"/> (from the primary, or from a new-view's O).</summary>
    public PrePrepare? PrePrepare;
    /// <summary>Prepares by (view, digest), with the signed messages (a prepared certificate carries them).</summary>
    public readonly SlotVotes Prepares = new(replicas);
    public readonly SlotVotes Commits = new(replicas);
    public long CommitSentView = -1;
    public bool Committed;
    public Block? CommittedBatch;

    // The highest-view prepared certificate this replica holds (its entry in §4.4's set P), kept as what it is made
    // of: the pre-prepare and which prepares it takes. The certificate itself is only built when a view change
    // sends it (most never are), so preparing a request allocates no list of 2f prepares.
    private PrePrepare? _preparedBy;
    private VoteSet? _prepareVotes;
    private ReplicaBits _taken;
    private PreparedCertificate? _prepared;

    /// <summary>The pre-prepare of the highest-view prepared certificate this replica holds, or null.</summary>
    public PrePrepare? PreparedBy => _preparedBy;

    /// <summary>Records the prepared certificate of <paramref name="pp"/>: the pre-prepare and the first
    /// <paramref name="count"/> signed prepares in <paramref name="votes"/>, in replica order, as they are now.</summary>
    public void SetPrepared(PrePrepare pp, VoteSet votes, int count)
    {
        var taken = new ReplicaBits(replicas);
        int n = 0;
        for (var r = votes.Next(0); r >= 0 && n < count; r = votes.Next(r + 1))
        {
            if (votes.MessageOf<Prepare>(r) is null) continue;
            taken.Add(r);
            n++;
        }
        _preparedBy = pp;
        _prepareVotes = votes;
        _taken = taken;
        _prepared = null;
    }

    /// <summary>The highest-view prepared certificate this replica holds (its entry in §4.4's set P), or null.</summary>
    public PreparedCertificate? Prepared()
    {
        if (_prepared is not null || _preparedBy is null) return _prepared;
        var prepares = new List<Prepare>();
        for (var r = _taken.Next(0); r >= 0; r = _taken.Next(r + 1))
            prepares.Add(_prepareVotes!.MessageOf<Prepare>(r)!);
        return _prepared = new PreparedCertificate(_preparedBy, prepares);
    }
}

/// <summary>
/// A slot's votes of one kind (prepares or commits) by (view, digest). Almost always one value (the accepted
/// pre-prepare's), held in fields; a few more across view changes or with a double-voting replica go to a short list
/// searched from the newest, instead of a dictionary keyed by (view, digest) looked up for every vote. Past a few
/// values (a Byzantine replica signing many digests for one sequence number) they are indexed by a dictionary, so a
/// flood of digests costs a hash lookup per vote, not a walk of every digest seen.
/// </summary>
public sealed class SlotVotes(int replicas)
{
    private const int ListedValues = 4;
    // The first value's votes: every slot has one, most only this one (no list per slot).
    private long _firstView;
    private Hash _firstDigest;
    private VoteSet? _first;
    private List<(long View, Hash Digest, VoteSet Votes)>? _more;
    private Dictionary<(long View, Hash Digest), VoteSet>? _index;

    /// <summary>The votes for (<paramref name="view"/>, <paramref name="digest"/>), created empty on first use.</summary>
    public VoteSet For(long view, Hash digest)
    {
        if (_index is not null)
        {
            if (!_index.TryGetValue((view, digest), out var found)) _index[(view, digest)] = found = new VoteSet(replicas);
            return found;
        }
        if (_more is not null)
            for (int i = _more.Count - 1; i >= 0; i--)
                if (_more[i].View == view && _more[i].Digest == digest) return _more[i].Votes;
        if (_first is not null && _firstView == view && _firstDigest == digest) return _first;
        var set = new VoteSet(replicas);
        if (_first is null)
        {
            (_firstView, _firstDigest, _first) = (view, digest, set);
            return set;
        }
        (_more ??= new(ListedValues)).Add((view, digest, set));
        if (1 + _more.Count > ListedValues)
        {
            _index = new Dictionary<(long, Hash), VoteSet>(2 * ListedValues) { [(_firstView, _firstDigest)] = _first };
            foreach (var (v, d, votes) in _more) _index[(v, d)] = votes;
            _first = null;
            _more = null;
        }
        return set;
    }

    /// <summary>How many distinct (view, digest) values have votes here.</summary>
    public int Values => _index?.Count ?? (_first is null ? 0 : 1 + (_more?.Count ?? 0));
}
