using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Sim.Faults;

public enum NodeState { Up, Down, Paused }

/// <summary>
/// The whole world, seen between windows (never while nodes run): for fault targets such as "the
/// leader", for safety checkers and for stop predicates.
/// </summary>
public interface ISimulationView
{
    SimTime Now { get; }
    NodeDirectory Directory { get; }
    NodeState StateOf(NodeId node);
    /// <summary>The node's current behaviour instance (a new one after each restart).</summary>
    INodeBehaviour BehaviourOf(NodeId node);
    int RegionIndex(string region);
    NetworkConditions Network { get; }
    /// <summary>Changes whenever a node's state or behaviour instance may have changed (a crash, restart,
    /// pause or resume was applied), so observers can cache what depends only on them. Reachability
    /// has its own: <see cref="NetworkConditions.Version"/>.</summary>
    long NodesVersion { get; }
}

/// <summary>Called by the kernel between windows, in virtual-time order, on one thread.</summary>
public interface ISimulationObserver
{
    /// <summary>Once, at time zero after every node has started and before the first window.</summary>
    void OnStart(ISimulationView view) { }
    /// <summary>After each window, and after each fault is applied.</summary>
    void OnBarrier(ISimulationView view);
    /// <summary>Once, when the run ends.</summary>
    void OnEnd(ISimulationView view);
}
