using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Nodes;

namespace Lab.Experiments.Models;

/// <summary>What a model builds for one run. The network and the fault schedule come from the common sections.</summary>
public sealed class World
{
    public List<NodeSpec> Nodes { get; } = [];
    public List<ISimulationObserver> Observers { get; } = [];
    /// <summary>Words a fault may target besides node and region names, e.g. "leader" → the current leader.</summary>
    public SortedDictionary<string, NodeSelector> Targets { get; } = new(StringComparer.Ordinal);
    /// <summary>Optional early stop, checked between windows.</summary>
    public Func<ISimulationView, bool>? StopWhen { get; set; }
    /// <summary>Called after the run to add derived scalars to <c>result.Metrics.Scalars</c> (e.g. throughput_tps).</summary>
    public Action<RunResult>? Finish { get; set; }
}
