using Lab.Sim.Metrics;
using Lab.Sim.Nodes;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Sim.Testing;

/// <summary>
/// A hand-driven node context for unit tests of protocol code without a simulation: sends and timers
/// are recorded (nothing is delivered or fired), CPU charges advance the clock, <see cref="Now"/> is settable.
/// </summary>
public sealed class ManualNodeContext : INodeContext
{
    public ManualNodeContext(int nodes = 2, int self = 0)
    {
        Directory = new NodeDirectory(Enumerable.Range(0, nodes).Select(i => new NodeSpec($"n{i}", 0, "node", () => null!)).ToList());
        Self = new NodeId(self);
        Metrics = new MetricRecorder(() => Now, Duration.FromSeconds(1));
    }

    public SimTime Now { get; set; }
    public NodeId Self { get; }
    public SimRandom Random { get; } = new(1);
    public MetricRecorder Metrics { get; }
    public DurableStore Storage { get; } = new();
    public NodeDirectory Directory { get; }
    public List<(NodeId To, object Message)> Sent { get; } = [];
    public List<(TimerId Id, SimTime At, object State)> Timers { get; } = [];
    public HashSet<TimerId> Cancelled { get; } = [];
    public Duration Cpu { get; private set; }
    private long _next;

    public void Send(NodeId to, object message, int sizeBytes) => Sent.Add((to, message));
    /// <summary>Recorded like <see cref="Send"/>; returns <see cref="Now"/> + delay (no latency: nothing is delivered).</summary>
    public SimTime? SendUncharged(NodeId to, object message, int sizeBytes, Duration delay)
    {
        Sent.Add((to, message));
        return Now + delay;
    }
    public TimerId SetTimer(Duration after, object state)
    {
        var id = new TimerId(++_next);
        Timers.Add((id, Now + after, state));
        return id;
    }
    public void CancelTimer(TimerId id) => Cancelled.Add(id);
    public void ChargeCpu(Duration cpu) { Cpu += cpu; Now += cpu; }
}
