using Lab.Consensus.Byzantine;
using Lab.Ledger.Batching;
using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;

namespace Lab.Consensus.HotStuff;

/// <summary>
/// A HotStuff replica's state on its durable store (the voting rule needs vheight and the lock to
/// survive a restart, or a restarted replica could vote twice). The mempool survives too; timers and
/// vote collections do not.
/// </summary>
public sealed class HotStuffState(BlockOptions block)
{
    public const string StorageKey = "hotstuff.state";

    public readonly Dictionary<Hash, HsNode> Nodes = new() { [HsNode.Genesis.Id] = HsNode.Genesis };
    public long CurView = 1;
    /// <summary>Algorithm 3's vheight, per view: never vote twice in one view, never vote backwards.</summary>
    public long LastVotedView;
    public QuorumCert HighQc = HsNode.GenesisQc;
    public QuorumCert LockedQc = HsNode.GenesisQc;
    /// <summary>b_exec: the last committed node.</summary>
    public HsNode Exec = HsNode.Genesis;
    public long ProposedView;
    public int ConsecutiveTimeouts;
    /// <summary>The view this replica last gave up on (it re-broadcasts its new-view while still in it).</summary>
    public long TimedOutView;

    /// <summary>Requests waiting to commit, in arrival order (removed on commit).</summary>
    public readonly Mempool Mempool = new(block);
    /// <summary>Committed requests → their height (a dense per-client index with a newest-per-client filter: every replica holds one entry per request of the run and checks every request against it).</summary>
    public readonly CommittedRequests CommittedTx = new();
}
