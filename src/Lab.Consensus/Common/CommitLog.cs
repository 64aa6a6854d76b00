using Lab.Ledger.Crypto;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Common;

/// <summary>
/// What one replica has committed, height by height (1-based), as an outside observer would record
/// it. Kept in the replica's durable store, so it survives restarts: a restarted replica that
/// re-commits a height must re-commit the same block, or the safety checker reports it.
/// </summary>
public sealed class CommitLog
{
    private readonly List<CommittedBlock> _blocks = [];
    private readonly List<(CommittedBlock Before, CommittedBlock After)> _rewrites = [];

    // Bumped by every change to any commit log (a new log, a commit, a rewrite), in any run of the process: an observer
    // that saw the same value at its last barrier knows no log changed since and skips the per-replica scan. Shared across
    // runs on other threads, so it may move without a change here (a scan that finds nothing), never stay put across one.
    private static long s_changes;

    /// <summary>A number that changes whenever any commit log changes (never goes back); see <see cref="SafetyChecker"/>.</summary>
    public static long Changes => Interlocked.Read(ref s_changes);

    public CommitLog() => Interlocked.Increment(ref s_changes);

    public const string StorageKey = "lab.commit-log";

    public static CommitLog Of(INodeContext ctx) => ctx.Storage.GetOrAdd(StorageKey, () => new CommitLog());

    public int Count => _blocks.Count;
    public CommittedBlock this[int index] => _blocks[index];
    public IReadOnlyList<CommittedBlock> Blocks => _blocks;

    /// <summary>Heights re-committed with a different block after a restart (a safety violation).</summary>
    public IReadOnlyList<(CommittedBlock Before, CommittedBlock After)> Rewrites => _rewrites;

    /// <summary>Records a commit. Heights must arrive in order; a height already known must match.</summary>
    public void Commit(long height, Hash block, int transactions, SimTime at)
    {
        var entry = new CommittedBlock(height, block, transactions, at);
        Interlocked.Increment(ref s_changes);
        if (height <= _blocks.Count)
        {
            var before = _blocks[(int)height - 1];
            if (before.Block != block) _rewrites.Add((before, entry));
            return;
        }
        if (height != _blocks.Count + 1)
            throw new InvalidOperationException($"commit at height {height} skips heights {_blocks.Count + 1}..{height - 1}");
        _blocks.Add(entry);
    }
}

public sealed record CommittedBlock(long Height, Hash Block, int Transactions, SimTime At);

/// <summary>A node that takes part in consensus. The safety checker reads these between windows.</summary>
public interface IReplica : INodeBehaviour
{
    /// <summary>Null until the replica has started.</summary>
    CommitLog? Commits { get; }
    /// <summary>Byzantine replicas are excluded from agreement checks (their claims prove nothing).</summary>
    bool IsByzantine { get; }
}
