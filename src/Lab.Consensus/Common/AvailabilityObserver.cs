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

    // What depends only on node states, behaviour instances and reachability, rebuilt when one of
    // them changes (faults, between windows): the running replicas with a leader role, and for each
    // which others it reaches in both directions and how many (itself included).
    private long _nodesVersion = -1, _networkVersion = -1;
    private ILeaderRole[] _roles = [];
    private bool[,] _reaches = new bool[0, 0];
    private int[] _reachCount = [];

    /// <summary>Only time from here on is counted (the measured window).</summary>
    public SimTime From { get; init; } = SimTime.Zero;

    public double UnavailableSeconds => _unavailableNanos / 1e9;

    /// <summary>Takes the state at time zero: a protocol whose leader is there from the start (PBFT's
    /// primary of view 0, HotStuff's leader, the solo orderer) is available from the start; Raft is not
    /// until its first leader is elected.</summary>
    public void OnStart(ISimulationView view)
    {
        _last = view.Now;
        _available = IsServing(view);
    }

    public void OnBarrier(ISimulationView view)
    {
        var now = view.Now;
        if (!_available && now > _last)
        {
            var start = SimTime.Max(_last, From);
            if (now > start) _unavailableNanos += (now - start).Nanos;
        }
        _last = now;
        _available = IsServing(view);
    }

    public void OnEnd(ISimulationView view) => OnBarrier(view);

    /// <summary><see cref="Serving"/>, from the cached replicas and reachability: per barrier only the
    /// leaders' flags and terms are read.</summary>
    private bool IsServing(ISimulationView view)
    {
        if (view.NodesVersion != _nodesVersion || view.Network.Version != _networkVersion) Rebuild(view);
        var roles = _roles;
        for (int l = 0; l < roles.Length; l++)
        {
            var role = roles[l];
            if (!role.IsActingLeader || _reachCount[l] < role.Quorum) continue;
            var term = role.Term;
            var outranked = false;
            for (int o = 0; o < roles.Length && !outranked; o++)
                outranked = _reaches[l, o] && roles[o].Term > term;
            if (!outranked) return true;
        }
        return false;
    }

    private void Rebuild(ISimulationView view)
    {
        _nodesVersion = view.NodesVersion;
        _networkVersion = view.Network.Version;
        var nodes = new List<int>();
        var roles = new List<ILeaderRole>();
        for (int i = 0; i < view.Directory.Count; i++)
        {
            var node = new NodeId(i);
            if (view.StateOf(node) == NodeState.Up && view.BehaviourOf(node) is ILeaderRole r) { nodes.Add(i); roles.Add(r); }
        }
        _roles = [.. roles];
        _reaches = new bool[nodes.Count, nodes.Count];
        _reachCount = new int[nodes.Count];
        for (int a = 0; a < nodes.Count; a++)
            for (int b = 0; b < nodes.Count; b++)
            {
                var reaches = a == b || (!view.Network.Blocks(nodes[a], nodes[b]) && !view.Network.Blocks(nodes[b], nodes[a]));
                _reaches[a, b] = reaches;
                if (reaches) _reachCount[a]++;
            }
    }

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
