using Lab.Sim.Time;

namespace Lab.Sim.Faults;

/// <summary>A fault at an exact virtual time, optionally undone after <see cref="For"/>.</summary>
public sealed record ScheduledFault(SimTime At, FaultAction Action, Duration? For = null);

/// <summary>What a fault does. Each has an undo, applied when a fault with a duration ends.</summary>
public abstract record FaultAction;

/// <summary>The node stops: no processing, timers cancelled, queued and incoming messages dropped.</summary>
public sealed record Crash(NodeSelector Nodes) : FaultAction;

/// <summary>A fresh behaviour starts from the node's durable store (wiped first if <paramref name="LoseDisk"/>).</summary>
public sealed record Restart(NodeSelector Nodes, bool LoseDisk = false) : FaultAction;

/// <summary>The node stops processing; incoming messages queue until it resumes.</summary>
public sealed record Pause(NodeSelector Nodes) : FaultAction;
public sealed record Resume(NodeSelector Nodes) : FaultAction;

/// <summary>Traffic between groups is dropped. Unlisted nodes of a listed kind form one more group;
/// unlisted nodes of other kinds (clients when only replicas are listed) still reach every group.</summary>
public sealed record Partition(IReadOnlyList<NodeSelector> Groups) : FaultAction;
public sealed record Heal : FaultAction;

/// <summary>The listed nodes cannot hear each other (others still hear them).</summary>
public sealed record Cut(NodeSelector Nodes) : FaultAction;
public sealed record Uncut(NodeSelector Nodes) : FaultAction;

/// <summary>Extra loss probability on every link.</summary>
public sealed record LossBurst(double Probability) : FaultAction;

/// <summary>Every link's latency is multiplied (≥ 1).</summary>
public sealed record LatencySpike(double Factor) : FaultAction;

/// <summary>Links to and from the given nodes are slower by a factor (≥ 1).</summary>
public sealed record SlowNodes(NodeSelector Nodes, double Factor) : FaultAction;
