using Lab.Ledger.Crypto;
using Lab.Sim.Faults;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Common;

/// <summary>
/// Agreement, checked between windows in every run: honest replicas never commit different blocks
/// at the same height, and a restarted replica never rewrites what it committed. Incremental: each
/// barrier only looks at commits made since the last one.
/// </summary>
public sealed class SafetyChecker : ISimulationObserver
{
    private readonly Dictionary<long, (Hash Block, NodeId Node, SimTime At)> _canonical = [];
    private readonly Dictionary<int, int> _checkedUpTo = [];
    private readonly Dictionary<int, int> _rewritesSeen = [];
    private readonly List<SafetyViolation> _violations = [];

    public IReadOnlyList<SafetyViolation> Violations => _violations;

    public void OnBarrier(ISimulationView view)
    {
        for (int i = 0; i < view.Directory.Count; i++)
        {
            var node = new NodeId(i);
            if (view.BehaviourOf(node) is not IReplica { IsByzantine: false, Commits: { } log }) continue;
            var from = _checkedUpTo.GetValueOrDefault(i);
            if (from > log.Count) from = 0; // a new log (disk lost): check it from the start
            for (int h = from; h < log.Count; h++)
            {
                var c = log[h];
                if (_canonical.TryGetValue(c.Height, out var first))
                {
                    if (first.Block != c.Block)
                        _violations.Add(new SafetyViolation(c.Height, first.Node, first.Block, node, c.Block, c.At,
                            $"height {c.Height}: {view.Directory.Name(first.Node)} committed {first.Block.Short} at {first.At}, {view.Directory.Name(node)} committed {c.Block.Short} at {c.At}"));
                }
                else _canonical[c.Height] = (c.Block, node, c.At);
            }
            _checkedUpTo[i] = log.Count;
            var seen = _rewritesSeen.GetValueOrDefault(i);
            for (int r = seen; r < log.Rewrites.Count; r++)
            {
                var (before, after) = log.Rewrites[r];
                _violations.Add(new SafetyViolation(before.Height, node, before.Block, node, after.Block, after.At,
                    $"height {before.Height}: {view.Directory.Name(node)} committed {before.Block.Short} at {before.At} and, after a restart, {after.Block.Short} at {after.At}"));
            }
            _rewritesSeen[i] = log.Rewrites.Count;
        }
    }

    public void OnEnd(ISimulationView view) => OnBarrier(view);
}

/// <summary>Two conflicting commits at one height: the first seen and the conflicting one.</summary>
public sealed record SafetyViolation(long Height, NodeId FirstNode, Hash FirstBlock, NodeId OtherNode, Hash OtherBlock, SimTime At, string Description);
