using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Common;

/// <summary>
/// Liveness once the faults are over: every transaction a running client submitted before
/// <see cref="HealedAt"/> (the end of the last fault) is final by <see cref="Deadline"/>. Checked once, at the
/// first moment the kernel stops at or after the deadline (exactly at it when the run ends there, as
/// <c>lab fuzz</c>'s runs do; otherwise up to one window later). A transaction still chased then, or one its
/// client gave up on, is a violation. Clients that are down at the deadline are not asked (a crashed client's
/// requests are owed to nobody), and neither is anything submitted after <see cref="HealedAt"/>.
/// </summary>
public sealed class LivenessChecker(SimTime healedAt, SimTime deadline) : ISimulationObserver
{
    private readonly List<(NodeId Client, Lab.Ledger.Transactions.TxId Tx, SimTime SubmittedAt, bool Abandoned)> _late = [];

    public SimTime HealedAt { get; } = healedAt;
    public SimTime Deadline { get; } = deadline;

    /// <summary>Whether the deadline has been reached (before it, nothing is known).</summary>
    public bool Checked { get; private set; }

    /// <summary>Transactions not final by the deadline, oldest first.</summary>
    public int Violations => _late.Count;

    public void OnBarrier(ISimulationView view)
    {
        if (!Checked && view.Now >= Deadline) Check(view);
    }

    public void OnEnd(ISimulationView view) => OnBarrier(view);

    private void Check(ISimulationView view)
    {
        Checked = true;
        for (int i = 0; i < view.Directory.Count; i++)
        {
            var node = new NodeId(i);
            if (view.StateOf(node) != NodeState.Up || view.BehaviourOf(node) is not IFinalityClient client) continue;
            foreach (var (tx, at, abandoned) in client.Tracker.Unfinished)
                if (at < HealedAt) _late.Add((node, tx, at, abandoned));
        }
        _late.Sort((a, b) => a.SubmittedAt.Nanos != b.SubmittedAt.Nanos ? a.SubmittedAt.Nanos.CompareTo(b.SubmittedAt.Nanos) : a.Tx.Value.CompareTo(b.Tx.Value));
    }

    /// <summary>Adds <c>liveness_violations</c> (counter and scalar) and one <c>liveness</c> finding per late transaction
    /// (the first <see cref="FindingsShown"/>, then one line counting the rest) to the run's metrics.</summary>
    public void Complete(RunResult result)
    {
        var m = result.Metrics;
        m.Counters[StandardMetrics.LivenessViolations] = _late.Count;
        m.Scalars[StandardMetrics.LivenessViolations] = _late.Count;
        if (_late.Count == 0) return;
        var after = (Deadline - HealedAt).TotalSeconds;
        foreach (var (client, tx, at, abandoned) in _late.Take(FindingsShown))
            m.Findings.Add(new Finding(Deadline, StandardMetrics.LivenessFinding,
                $"{tx} submitted by {result.Nodes.Name(client)} at {at} is not final {after:0.###}s after the last fault ended at {HealedAt}" + (abandoned ? " (its client gave up on it)" : "")));
        if (_late.Count > FindingsShown)
            m.Findings.Add(new Finding(Deadline, StandardMetrics.LivenessFinding, $"{_late.Count - FindingsShown} more transaction(s) submitted before {HealedAt} are not final by {Deadline}"));
    }

    /// <summary>Late transactions named one by one in the findings.</summary>
    public const int FindingsShown = 5;
}
