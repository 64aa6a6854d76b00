using Lab.Sim.Metrics;
using Lab.Sim.Nodes;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Ledger.Tests.Contracts;

/// <summary>A context for applying blocks outside a simulation: one node, virtual time that only CPU advances.</summary>
internal sealed class FakeNodeContext : INodeContext
{
    public FakeNodeContext(string name = "replica")
    {
        Directory = new NodeDirectory([new NodeSpec(name, 0, "replica", () => throw new NotSupportedException())]);
        Metrics = new MetricRecorder(() => Now, Duration.FromSeconds(1));
    }

    public SimTime Now { get; private set; }
    public NodeId Self => new(0);
    public SimRandom Random { get; } = new(1);
    public MetricRecorder Metrics { get; }
    public DurableStore Storage { get; } = new();
    public NodeDirectory Directory { get; }
    public void Send(NodeId to, object message, int sizeBytes) => throw new NotSupportedException();
    public SimTime? SendUncharged(NodeId to, object message, int sizeBytes, Duration delay) => throw new NotSupportedException();
    public TimerId SetTimer(Duration after, object state) => throw new NotSupportedException();
    public void CancelTimer(TimerId id) { }
    public void ChargeCpu(Duration cpu) => Now += cpu;
}
