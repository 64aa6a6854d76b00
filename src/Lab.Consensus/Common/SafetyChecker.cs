using Lab.Ledger.Crypto;
using Lab.Sim.Faults;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Common;

/// <summary>
/// Agreement, checked between windows in every run: honest replicas never commit different blocks
/// at the same height, and a restarted replica never rewrites what it committed. Incremental: each
/// barrier only looks at commits made since the last one. A replica whose commit log is a new object
/// (its disk was lost in a restart) is checked again from height 1: logs are told apart by identity,
/// not by length, so a new log that has already grown past the old one is not skipped.
/// </summary>
public sealed class SafetyChecker : ISimulationObserver
{
    // Heights are dense from 1 and every log is a prefix of them, so the first commit at each height is a list.
    private readonly List<(Hash Block, NodeId Node, SimTime At)> _canonical = [];
    private readonly List<SafetyViolation> _violations = [];
    private readonly ReplicaCache<IReplica> _replicas = new();
    // Per node: the log checked last, how far, and how many of its rewrites were reported.
    private CommitLog?[] _log = [];
    private int[] _checkedUpTo = [];
    private int[] _rewritesSeen = [];

    public IReadOnlyList<SafetyViolation> Violations => _violations;

    /// <summary>Only nodes First..First+Count−1 (one chain of several on a network); null: every node.</summary>
    public (int First, int Count)? Scope { get => _replicas.Scope; init => _replicas.Scope = value; }

    /// <summary>The highest height any honest replica has committed (the run's decisions so far).</summary>
    public long HighestHeight { get; private set; }

    private long _seenChanges = -1, _seenNodes = -1;

    public void OnBarrier(ISimulationView view) => Check(view, final: false);

    public void OnEnd(ISimulationView view) => Check(view, final: true);

    private void Check(ISimulationView view, bool final)
    {
        // Most windows commit nothing: if no commit log changed and no behaviour was replaced since the last look, the
        // scan below would find nothing new (IsByzantine is fixed per behaviour instance).
        var changes = CommitLog.Changes;
        if (!final && changes == _seenChanges && view.NodesVersion == _seenNodes) return;
        _seenChanges = changes;
        _seenNodes = view.NodesVersion;
        if (_log.Length != view.Directory.Count)
        {
            _log = new CommitLog?[view.Directory.Count];
            _checkedUpTo = new int[view.Directory.Count];
            _rewritesSeen = new int[view.Directory.Count];
        }
        var replicas = _replicas.Of(view);
        for (int k = 0; k < replicas.Length; k++)
        {
            var (i, replica) = replicas[k];
            if (replica is not { IsByzantine: false, Commits: { } log }) continue;
            var node = new NodeId(i);
            var same = ReferenceEquals(_log[i], log);
            var from = same ? _checkedUpTo[i] : 0;
            var rewritesSeen = same ? _rewritesSeen[i] : 0;
            for (int h = from; h < log.Count; h++)
            {
                var c = log[h];
                if (c.Height <= _canonical.Count)
                {
                    var first = _canonical[(int)c.Height - 1];
                    if (first.Block != c.Block)
                        _violations.Add(new SafetyViolation(c.Height, first.Node, first.Block, node, c.Block, c.At,
                            $"height {c.Height}: {view.Directory.Name(first.Node)} committed {first.Block.Short} at {first.At}, {view.Directory.Name(node)} committed {c.Block.Short} at {c.At}"));
                }
                else _canonical.Add((c.Block, node, c.At));
            }
            HighestHeight = Math.Max(HighestHeight, log.Count);
            for (int r = rewritesSeen; r < log.Rewrites.Count; r++)
            {
                var (before, after) = log.Rewrites[r];
                _violations.Add(new SafetyViolation(before.Height, node, before.Block, node, after.Block, after.At,
                    $"height {before.Height}: {view.Directory.Name(node)} committed {before.Block.Short} at {before.At} and, after a restart, {after.Block.Short} at {after.At}"));
            }
            _log[i] = log;
            _checkedUpTo[i] = log.Count;
            _rewritesSeen[i] = log.Rewrites.Count;
        }
    }

}

/// <summary>
/// The nodes whose behaviour is a <typeparamref name="T"/> (in node order, with the cast done), for
/// observers that look at them between every window: rebuilt only when a fault may have changed a
/// behaviour instance (<see cref="ISimulationView.NodesVersion"/>), so a barrier does no type tests.
/// </summary>
internal sealed class ReplicaCache<T> where T : class
{
    private long _version = -1;
    private (int Node, T Behaviour)[] _nodes = [];

    /// <summary>Only nodes First..First+Count−1; null: every node.</summary>
    public (int First, int Count)? Scope { get; set; }

    public (int Node, T Behaviour)[] Of(ISimulationView view)
    {
        if (view.NodesVersion == _version) return _nodes;
        var nodes = new List<(int, T)>();
        var (from, to) = Scope is { } s ? (s.First, Math.Min(view.Directory.Count, s.First + s.Count)) : (0, view.Directory.Count);
        for (int i = from; i < to; i++)
            if (view.BehaviourOf(new NodeId(i)) is T b) nodes.Add((i, b));
        _nodes = [.. nodes];
        _version = view.NodesVersion;
        return _nodes;
    }
}

/// <summary>Two conflicting commits at one height (the first seen and the conflicting one), or one
/// committed block that is wrong in itself (a validity violation: both sides name the same replica).</summary>
public sealed record SafetyViolation(long Height, NodeId FirstNode, Hash FirstBlock, NodeId OtherNode, Hash OtherBlock, SimTime At, string Description);
