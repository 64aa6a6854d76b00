using Lab.Consensus.Common;
using Lab.Consensus.Raft;
using Lab.Consensus.Solo;
using Lab.Consensus.Workload;
using Lab.Ledger.Crypto;
using Lab.Ledger.Batching;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Common;

/// <summary>Builds and runs small chains for tests: constant latency, zero CPU unless asked.</summary>
internal static class Harness
{
    public static readonly ChainOptions FreeChain = new()
    {
        Nodes = 5,
        Signing = TransactionSigning.Free,
        Block = new BlockOptions { MaxTransactions = 50, BatchTimeout = Duration.FromMillis(5) },
    };

    public static WorkloadOptions Load(double rate, int clients = 2) => new()
    {
        Arrivals = new ConstantArrivals(rate),
        Clients = clients,
        RetryTimeout = Duration.FromMillis(500),
    };

    public static (RunResult Result, ChainWorld World) RunRaft(
        double seconds, ChainOptions? chain = null, WorkloadOptions? workload = null, RaftOptions? raft = null,
        NetworkSpec? network = null, IEnumerable<ScheduledFault>? faults = null, ulong seed = 1,
        IEnumerable<ISimulationObserver>? observers = null, Func<ChainAccess, IEnumerable<Lab.Sim.Nodes.NodeSpec>>? extraNodes = null,
        ExecutionMode mode = ExecutionMode.Sequential)
    {
        network ??= NetworkSpec.Constant(Duration.FromMillis(5));
        var world = ChainWorld.Build(new RaftProtocol(raft ?? new RaftOptions()), chain ?? FreeChain, workload ?? Load(200), network, extraNodes: extraNodes);
        return Run(world, network, seconds, faults, seed, observers, mode);
    }

    public static (RunResult Result, ChainWorld World) RunSolo(
        double seconds, ChainOptions? chain = null, WorkloadOptions? workload = null,
        IEnumerable<ScheduledFault>? faults = null, ulong seed = 1)
    {
        var network = NetworkSpec.Constant(Duration.FromMillis(5));
        var world = ChainWorld.Build(new SoloProtocol(new SoloOptions()), chain ?? FreeChain, workload ?? Load(200), network);
        return Run(world, network, seconds, faults, seed);
    }

    public static (RunResult, ChainWorld) Run(ChainWorld world, NetworkSpec network, double seconds, IEnumerable<ScheduledFault>? faults, ulong seed,
        IEnumerable<ISimulationObserver>? observers = null, ExecutionMode mode = ExecutionMode.Sequential)
    {
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = SimTime.Zero + Duration.FromSeconds(seconds), SeriesBin = Duration.FromMillis(500), Mode = mode },
            network, world.Nodes, faults);
        world.Attach(sim);
        foreach (var o in observers ?? []) sim.AddObserver(o);
        var result = sim.Run();
        world.Complete(result);
        return (result, world);
    }

    public static SimTime At(double seconds) => SimTime.Zero + Duration.FromSeconds(seconds);

    /// <summary>Client-final transactions in series bins from <paramref name="from"/> to <paramref name="to"/> seconds.</summary>
    public static double CommittedBetween(RunResult r, double from, double to)
    {
        if (!r.Metrics.Series.TryGetValue(StandardMetrics.CommittedTx, out var bins)) return 0;
        var bin = r.Metrics.SeriesBin.TotalSeconds;
        double total = 0;
        for (int i = 0; i < bins.Length; i++)
            if (i * bin >= from && (i + 1) * bin <= to) total += bins[i];
        return total;
    }

    public static string Describe(ChainWorld w) => string.Join("\n", w.Violations.Select(v => v.Description));
}
