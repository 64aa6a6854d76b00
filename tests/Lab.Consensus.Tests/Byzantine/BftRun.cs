using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Byzantine;

/// <summary>Runs a BFT world in a test: safety checker on, message counts by type, results at hand.</summary>
public sealed class BftRun
{
    public required BftWorld World { get; init; }
    public required Simulation Simulation { get; init; }
    public required SortedDictionary<string, int> Received { get; init; }
    public RunResult? Result { get; private set; }
    public IReadOnlyDictionary<string, double> Metrics { get; private set; } = new Dictionary<string, double>();

    public static readonly Duration D = Duration.FromMillis(10);

    public static BftRun Create(BftWorld world, NetworkSpec network, Duration length, ulong seed = 1, IEnumerable<ScheduledFault>? faults = null)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var nodes = world.Nodes.Select(n => n.Kind == BftWorld.ReplicaKind
            ? n with { Factory = () => new MessageCounter((IReplica)n.Factory(), counts) }
            : n).ToList();
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = SimTime.Zero + length }, network, nodes, faults);
        foreach (var o in world.Observers) sim.AddObserver(o);
        return new BftRun { World = world, Simulation = sim, Received = counts };
    }

    public BftRun Run()
    {
        Result = Simulation.Run();
        Metrics = World.DeriveMetrics(Result);
        return this;
    }

    public T Replica<T>(int node) where T : class => (T)((MessageCounter)Simulation.BehaviourOf(new NodeId(node))).Inner;

    public CommitLog Log(int node) => ((IReplica)Simulation.BehaviourOf(new NodeId(node))).Commits!;

    public int Count(string type) => Received.GetValueOrDefault(type);

    public double[] Latencies => Result!.Metrics.Samples.TryGetValue("commit_latency_s", out var l) ? l : [];
}
