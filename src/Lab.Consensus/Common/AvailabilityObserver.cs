using Lab.Sim.Faults;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Common;

/// <summary>
/// Measures <c>unavailable_s</c>: virtual time during which no leader can serve, i.e. no running replica
/// acts as leader in the highest term among the running replicas it can reach (a stale leader that can
/// reach a replica of a later term does not count; neither do replicas behind a partition that it cannot
/// reach) while reaching a quorum of running replicas (<see cref="ILeaderRole.Quorum"/>: a leader cut off
/// with a minority, or a BFT leader without 2f+1 replicas, commits nothing). State is sampled between
/// windows, so the error is at most one window (the network's minimum latency).
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
        _available = Serving(view);
    }

    public void OnEnd(ISimulationView view) => OnBarrier(view);

    /// <summary>
    /// Running replicas acting as leader whose term is the highest among the running replicas they
    /// can reach. Replicas cut off behind a partition may raise their terms in failed elections; that
    /// does not stop a leader on the other side from serving, so they are not compared.
    /// </summary>
    public static IReadOnlyList<NodeId> Leaders(ISimulationView view)
    {
        var replicas = new List<(NodeId Node, ILeaderRole Role)>();
        for (int i = 0; i < view.Directory.Count; i++)
        {
            var node = new NodeId(i);
            if (view.StateOf(node) == NodeState.Up && view.BehaviourOf(node) is ILeaderRole r) replicas.Add((node, r));
        }
        var leaders = new List<NodeId>();
        foreach (var (leader, role) in replicas)
        {
            if (!role.IsActingLeader) continue;
            var outranked = replicas.Any(o => o.Role.Term > role.Term
                && !view.Network.Blocks(leader.Value, o.Node.Value) && !view.Network.Blocks(o.Node.Value, leader.Value));
            if (!outranked) leaders.Add(leader);
        }
        return leaders;
    }

    /// <summary>Whether some leader (<see cref="Leaders"/>) reaches a quorum of running replicas, itself included.</summary>
    public static bool Serving(ISimulationView view)
    {
        foreach (var leader in Leaders(view))
        {
            var role = (ILeaderRole)view.BehaviourOf(leader);
            var reached = 0;
            for (int i = 0; i < view.Directory.Count && reached < role.Quorum; i++)
            {
                var node = new NodeId(i);
                if (view.StateOf(node) != NodeState.Up || view.BehaviourOf(node) is not ILeaderRole) continue;
                if (node == leader || (!view.Network.Blocks(leader.Value, i) && !view.Network.Blocks(i, leader.Value))) reached++;
            }
            if (reached >= role.Quorum) return true;
        }
        return false;
    }

    /// <summary>Fault target "leader": the current leader(s), resolved when the fault fires.</summary>
    public static readonly NodeSelector Leader = new DynamicNodes("leader", Leaders);
}
