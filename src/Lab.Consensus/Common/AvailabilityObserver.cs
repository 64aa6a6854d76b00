using Lab.Sim.Faults;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Common;

/// <summary>
/// Measures <c>unavailable_s</c>: virtual time during which no running replica acts as leader in
/// the highest term among running replicas (a stale leader cut off in a minority does not count once
/// the majority has moved to a later term). State is sampled between windows, so the error is at
/// most one window (the network's minimum latency).
/// </summary>
public sealed class AvailabilityObserver : ISimulationObserver
{
    private SimTime _last = SimTime.Zero;
    private bool _available;
    private long _unavailableNanos;

    /// <summary>Only time from here on is counted (the measured window).</summary>
    public SimTime From { get; init; } = SimTime.Zero;

    public double UnavailableSeconds => _unavailableNanos / 1e9;

    public void OnBarrier(ISimulationView view)
    {
        var now = view.Now;
        if (!_available && now > _last)
        {
            var start = SimTime.Max(_last, From);
            if (now > start) _unavailableNanos += (now - start).Nanos;
        }
        _last = now;
        _available = Leaders(view).Count > 0;
    }

    public void OnEnd(ISimulationView view) => OnBarrier(view);

    /// <summary>Running replicas acting as leader in the highest term among running replicas.</summary>
    public static IReadOnlyList<NodeId> Leaders(ISimulationView view)
    {
        long maxTerm = long.MinValue;
        var leaders = new List<(NodeId Node, long Term)>();
        for (int i = 0; i < view.Directory.Count; i++)
        {
            var node = new NodeId(i);
            if (view.StateOf(node) != NodeState.Up || view.BehaviourOf(node) is not ILeaderRole r) continue;
            maxTerm = Math.Max(maxTerm, r.Term);
            if (r.IsActingLeader) leaders.Add((node, r.Term));
        }
        return leaders.Where(l => l.Term == maxTerm).Select(l => l.Node).ToList();
    }

    /// <summary>Fault target "leader": the current leader(s), resolved when the fault fires.</summary>
    public static readonly NodeSelector Leader = new DynamicNodes("leader", Leaders);
}
