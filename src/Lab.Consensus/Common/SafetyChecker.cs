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
    private readonly Dictionary<long, (Hash Block, NodeId Node, SimTime At)> _canonical = [];
    private readonly Dictionary<int, (CommitLog Log, int CheckedUpTo, int RewritesSeen)> _seen = [];
    private readonly List<SafetyViolation> _violations = [];

    public IReadOnlyList<SafetyViolation> Violations => _violations;

    /// <summary>The highest height any honest replica has committed (the run's decisions so far).</summary>
    public long HighestHeight { get; private set; }

    public void OnBarrier(ISimulationView view)
    {
        for (int i = 0; i < view.Directory.Count; i++)
        {
            var node = new NodeId(i);
            if (view.BehaviourOf(node) is not IReplica { IsByzantine: false, Commits: { } log }) continue;
            var (from, rewritesSeen) = _seen.TryGetValue(i, out var s) && ReferenceEquals(s.Log, log) ? (s.CheckedUpTo, s.RewritesSeen) : (0, 0);
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
            HighestHeight = Math.Max(HighestHeight, log.Count);
            for (int r = rewritesSeen; r < log.Rewrites.Count; r++)
            {
                var (before, after) = log.Rewrites[r];
                _violations.Add(new SafetyViolation(before.Height, node, before.Block, node, after.Block, after.At,
                    $"height {before.Height}: {view.Directory.Name(node)} committed {before.Block.Short} at {before.At} and, after a restart, {after.Block.Short} at {after.At}"));
            }
            _seen[i] = (log, log.Count, log.Rewrites.Count);
        }
    }

    public void OnEnd(ISimulationView view) => OnBarrier(view);
}

/// <summary>Two conflicting commits at one height (the first seen and the conflicting one), or one
/// committed block that is wrong in itself (a validity violation: both sides name the same replica).</summary>
public sealed record SafetyViolation(long Height, NodeId FirstNode, Hash FirstBlock, NodeId OtherNode, Hash OtherBlock, SimTime At, string Description);
