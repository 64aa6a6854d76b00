using Lab.Ledger.Transactions;
using Lab.Sim.Faults;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Common;

/// <summary>
/// Validity and durability, checked between windows in every run alongside <see cref="SafetyChecker"/>:
/// every committed transaction was really submitted by its client (same content), no transaction is
/// committed twice, and a replica never loses a block it committed (after a restart its log still
/// holds every height its commit log records, with the same hash).
/// </summary>
public sealed class LedgerValidityChecker : ISimulationObserver
{
    private readonly HashSet<TxId> _committed = [];
    private readonly Dictionary<long, NodeId> _checkedHeights = [];
    private long _nextHeight = 1;
    private readonly Dictionary<int, INodeBehaviour> _instances = [];
    private readonly List<SafetyViolation> _violations = [];

    public IReadOnlyList<SafetyViolation> Violations => _violations;

    public void OnBarrier(ISimulationView view) => Check(view, final: false);

    public void OnEnd(ISimulationView view) => Check(view, final: true);

    private void Check(ISimulationView view, bool final)
    {
        // 1. Look inside each newly committed height once, in height order.
        while (true)
        {
            var source = FindCommitted(view, _nextHeight);
            if (source is null) break;
            var (replica, node) = source.Value;
            var block = replica.BlockAt(_nextHeight);
            var commit = replica.Commits![(int)_nextHeight - 1];
            if (block is null || block.Hash != commit.Block)
            {
                _violations.Add(new SafetyViolation(_nextHeight, node, commit.Block, node, block?.Hash ?? default, commit.At,
                    $"height {_nextHeight}: {view.Directory.Name(node)} committed {commit.Block.Short} but no longer holds it"));
            }
            else
            {
                foreach (var tx in block.Transactions) CheckTransaction(view, tx, _nextHeight, node, commit.At);
            }
            _checkedHeights[_nextHeight] = node;
            _nextHeight++;
        }

        // 2. A restarted replica (new behaviour instance) must still hold what it committed.
        for (int i = 0; i < view.Directory.Count; i++)
        {
            var node = new NodeId(i);
            if (view.StateOf(node) != NodeState.Up) continue;
            var behaviour = view.BehaviourOf(node);
            if (behaviour is not IBlockSource { IsByzantine: false, Commits: { } log } replica) continue;
            var restarted = _instances.TryGetValue(i, out var before) && !ReferenceEquals(before, behaviour);
            _instances[i] = behaviour;
            if (!restarted && !final) continue;
            for (int h = 1; h <= log.Count; h++)
            {
                var held = replica.BlockAt(h);
                if (held is null || held.Hash != log[h - 1].Block)
                {
                    _violations.Add(new SafetyViolation(h, node, log[h - 1].Block, node, held?.Hash ?? default, view.Now,
                        $"height {h}: {view.Directory.Name(node)} committed {log[h - 1].Block.Short} at {log[h - 1].At} and lost it by {view.Now}"));
                    break;
                }
            }
        }
    }

    private void CheckTransaction(ISimulationView view, Transaction tx, long height, NodeId node, SimTime at)
    {
        if (!_committed.Add(tx.Id))
        {
            _violations.Add(new SafetyViolation(height, node, default, node, tx.Hash, at,
                $"height {height}: {tx.Id} committed a second time (seen by {view.Directory.Name(node)} at {at})"));
            return;
        }
        var client = tx.Id.Client;
        var submitted = client.Value >= 0 && client.Value < view.Directory.Count
            && view.BehaviourOf(client) is ITransactionSource { Submissions: { } subs }
            && subs.Find(tx.Id.Sequence) is { } original && original.Hash == tx.Hash;
        if (!submitted)
            _violations.Add(new SafetyViolation(height, node, default, node, tx.Hash, at,
                $"height {height}: {tx.Id} was never submitted by its client (committed by {view.Directory.Name(node)} at {at})"));
    }

    private static (IBlockSource Replica, NodeId Node)? FindCommitted(ISimulationView view, long height)
    {
        for (int i = 0; i < view.Directory.Count; i++)
        {
            var node = new NodeId(i);
            if (view.BehaviourOf(node) is IBlockSource { IsByzantine: false, Commits: { } log } replica && log.Count >= height)
                return (replica, node);
        }
        return null;
    }
}
