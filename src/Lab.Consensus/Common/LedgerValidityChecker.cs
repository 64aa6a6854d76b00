using Lab.Ledger.Crypto;
using Lab.Ledger.Transactions;
using Lab.Sim.Faults;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Common;

/// <summary>
/// Validity and durability, checked between windows in every run alongside <see cref="SafetyChecker"/>:
/// every transaction in every block an honest replica committed was really submitted by its client
/// (same content; anything else, e.g. an equivocating leader's invented double spend, is reported as
/// fabricated); no transaction is delivered twice along the chain (a copy a protocol orders again but skips at
/// execution, see <see cref="IBlockSource.Delivered"/>, is not a second delivery); and a replica never loses a block it
/// committed (after a restart it still holds every height its commit log records, with the same id).
/// Blocks on the first-committed chain are inspected in height order; a different block an honest
/// replica committed at a height (a fork, which the agreement checker reports) is inspected too, for
/// fabricated transactions only: the duplicate rule applies to the first-committed chain.
/// </summary>
public sealed class LedgerValidityChecker : ISimulationObserver
{
    private readonly TxIdSet _committed = new(); // every id delivered on the first-committed chain (a bit each)
    // The first-committed chain, height h at index h - 1 (heights are dense from 1): every one of its
    // blocks is inspected exactly once, in order, so only fork blocks need a set of their own.
    private readonly List<Hash> _canonical = [];
    private readonly HashSet<(long Height, Hash Block)> _inspectedForks = [];
    private readonly ReplicaCache<IBlockSource> _sources = new();
    // Per node: the log scanned for forks last and how far; the behaviour instance seen last while up.
    private CommitLog?[] _scannedLog = [];
    private int[] _scannedUpTo = [];
    private INodeBehaviour?[] _instances = [];
    private long _instancesVersion = -1;
    private long _nextHeight = 1;
    private readonly List<SafetyViolation> _violations = [];

    public IReadOnlyList<SafetyViolation> Violations => _violations;

    /// <summary>Only nodes First..First+Count−1 (one chain of several on a network); null: every node.</summary>
    public (int First, int Count)? Scope { get => _sources.Scope; init => _sources.Scope = value; }

    /// <summary>Distinct committed blocks looked inside so far (every height of the first-committed chain, plus fork blocks).</summary>
    public int BlocksInspected => _canonical.Count + _inspectedForks.Count;

    public void OnBarrier(ISimulationView view) => Check(view, final: false);

    public void OnEnd(ISimulationView view) => Check(view, final: true);

    private long _seenChanges = -1;

    private void Check(ISimulationView view, bool final)
    {
        // Steps 1 and 2 look only at commit logs, step 3 only when behaviours change: with neither changed since the
        // last look (most windows commit nothing), there is nothing to do.
        var changes = CommitLog.Changes;
        if (!final && changes == _seenChanges && view.NodesVersion == _instancesVersion) return;
        _seenChanges = changes;
        var count = view.Directory.Count;
        if (_scannedLog.Length != count)
        {
            _scannedLog = new CommitLog?[count];
            _scannedUpTo = new int[count];
            _instances = new INodeBehaviour?[count];
        }
        var sources = _sources.Of(view);

        // 1. The first-committed chain: each newly committed height once, in height order.
        while (FindCommitted(sources, _nextHeight) is { } found)
        {
            var (replica, node) = found;
            var commit = replica.Commits![(int)_nextHeight - 1];
            _canonical.Add(commit.Block);
            Inspect(view, replica, node, commit, duplicates: true);
            _nextHeight++;
        }

        // 2. Forks: a block an honest replica committed that differs from the first-committed one at its height.
        for (int k = 0; k < sources.Length; k++)
        {
            var (i, replica) = sources[k];
            if (replica is not { IsByzantine: false, Commits: { } log }) continue;
            var from = ReferenceEquals(_scannedLog[i], log) ? _scannedUpTo[i] : 0;
            for (int h = from; h < log.Count; h++)
            {
                var commit = log[h];
                if (commit.Height <= _canonical.Count && _canonical[(int)commit.Height - 1] != commit.Block)
                    Inspect(view, replica, new NodeId(i), commit, duplicates: false);
            }
            _scannedLog[i] = log;
            _scannedUpTo[i] = log.Count;
        }

        // 3. A restarted replica (new behaviour instance) must still hold what it committed. Behaviour
        // instances and node states change only when a fault is applied (NodesVersion).
        if (!final && view.NodesVersion == _instancesVersion) return;
        _instancesVersion = view.NodesVersion;
        for (int k = 0; k < sources.Length; k++)
        {
            var (i, replica) = sources[k];
            var node = new NodeId(i);
            if (view.StateOf(node) != NodeState.Up) continue;
            if (replica is not { IsByzantine: false, Commits: { } log }) continue;
            var restarted = _instances[i] is { } before && !ReferenceEquals(before, replica);
            _instances[i] = replica;
            if (!restarted && !final) continue;
            for (int h = 1; h <= log.Count; h++)
            {
                var held = replica.CommittedIdAt(h);
                if (held != log[h - 1].Block)
                {
                    _violations.Add(new SafetyViolation(h, node, log[h - 1].Block, node, held ?? default, view.Now,
                        $"height {h}: {view.Directory.Name(node)} committed {log[h - 1].Block.Short} at {log[h - 1].At} and lost it by {view.Now}"));
                    break;
                }
            }
        }
    }

    private void Inspect(ISimulationView view, IBlockSource replica, NodeId node, CommittedBlock commit, bool duplicates)
    {
        // Canonical heights come here once each, in order; a fork block may be met on several replicas.
        if (!duplicates && !_inspectedForks.Add((commit.Height, commit.Block))) return;
        var block = replica.BlockAt(commit.Height);
        if (block is null || replica.CommittedIdAt(commit.Height) != commit.Block)
        {
            _violations.Add(new SafetyViolation(commit.Height, node, commit.Block, node, block?.Hash ?? default, commit.At,
                $"height {commit.Height}: {view.Directory.Name(node)} committed {commit.Block.Short} but no longer holds it"));
            return;
        }
        var txs = block.Transactions;
        for (int i = 0; i < txs.Count; i++)   // a loop, not foreach: the list's enumerator would be boxed per block
            CheckTransaction(view, txs[i], commit.Height, node, commit.At, duplicates && replica.Delivered(txs[i], commit.Height));
    }

    private void CheckTransaction(ISimulationView view, Transaction tx, long height, NodeId node, SimTime at, bool duplicates)
    {
        if (duplicates && !_committed.Add(tx.Id))
        {
            _violations.Add(new SafetyViolation(height, node, default, node, tx.Fingerprint, at,
                $"height {height}: {tx.Id} committed a second time (seen by {view.Directory.Name(node)} at {at})"));
            return;
        }
        var client = tx.Id.Client;
        var submitted = client.Value >= 0 && client.Value < view.Directory.Count
            && view.BehaviourOf(client) is ITransactionSource { Submissions: { } subs }
            && subs.Find(tx.Id.Sequence) is { } original && original.SameContent(tx);
        if (!submitted)
            _violations.Add(new SafetyViolation(height, node, default, node, tx.Fingerprint, at,
                $"height {height}: {tx.Id} was never submitted by its client, a fabricated transaction (committed by {view.Directory.Name(node)} at {at})"));
    }

    private static (IBlockSource Replica, NodeId Node)? FindCommitted((int Node, IBlockSource Behaviour)[] sources, long height)
    {
        foreach (var (i, replica) in sources)
            if (replica is { IsByzantine: false, Commits: { } log } && log.Count >= height)
                return (replica, new NodeId(i));
        return null;
    }
}
