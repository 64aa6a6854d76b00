using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Ledger.Crypto;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Byzantine;

/// <summary>Runs a BFT chain in a test: the shared chain world (checkers on), message counts by type, results at hand.</summary>
public sealed class BftRun
{
    public required ChainWorld World { get; init; }
    public required Simulation Simulation { get; init; }
    public required SortedDictionary<string, int> Received { get; init; }
    public RunResult? Result { get; private set; }
    /// <summary>The run's derived scalars (standard metrics).</summary>
    public IReadOnlyDictionary<string, double> Metrics => Result!.Metrics.Scalars;

    public static readonly Duration D = Duration.FromMillis(10);

    /// <summary>Replicas with free client signatures (BFT authentication costs are the protocol's own options).</summary>
    public static ChainOptions Chain(int n) => new() { Nodes = n, Signing = TransactionSigning.Free };

    /// <summary>Poisson load: <paramref name="clients"/> clients at <paramref name="ratePerClient"/> each.</summary>
    public static WorkloadOptions Load(double ratePerClient, int clients = 2, Duration? retry = null, double? stopAt = null) => new()
    {
        Arrivals = new PoissonArrivals(ratePerClient * clients),
        Clients = clients,
        RetryTimeout = retry ?? Duration.FromSeconds(1),
        SubmitUntil = stopAt is { } s ? Duration.FromSeconds(s) : null,
    };

    /// <summary>One client sending exactly one 512-byte transaction at time 0 (for timing tests).</summary>
    public static WorkloadOptions OneRequest { get; } = new()
    {
        Arrivals = new TraceArrivals([new TraceRecord(Duration.Zero, 512, "tx")]),
        Clients = 1,
    };

    public static BftRun Create(ChainProtocol protocol, int n, WorkloadOptions workload, NetworkSpec network, Duration length, ulong seed = 1,
        IEnumerable<ScheduledFault>? faults = null, IReadOnlyList<ByzantineSpec>? byzantine = null) =>
        Create(ChainWorld.Build(protocol, Chain(n), workload, network, byzantine), network, length, seed, faults);

    public static BftRun Create(ChainWorld world, NetworkSpec network, Duration length, ulong seed = 1, IEnumerable<ScheduledFault>? faults = null)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var nodes = world.Nodes.Select(n => n.Kind == ChainWorld.ReplicaKind
            ? n with { Factory = () => new MessageCounter((IBlockSource)n.Factory(), counts) }
            : n).ToList();
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = SimTime.Zero + length }, network, nodes, faults);
        world.Attach(sim);
        return new BftRun { World = world, Simulation = sim, Received = counts };
    }

    public BftRun Run()
    {
        Result = Simulation.Run();
        World.Complete(Result);
        return this;
    }

    public T Replica<T>(int node) where T : class => (T)((MessageCounter)Simulation.BehaviourOf(new NodeId(node))).Inner;

    public CommitLog Log(int node) => ((IReplica)Simulation.BehaviourOf(new NodeId(node))).Commits!;

    public int Count(string type) => Received.GetValueOrDefault(type);

    public double[] Latencies => Result!.Metrics.Samples.TryGetValue(StandardMetrics.CommitLatency, out var l) ? l : [];
}
