using Lab.Consensus.Common;
using Lab.Consensus.Pow;
using Lab.Consensus.Workload;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Pow;

/// <summary>One finished proof-of-work run: the chain world (standard metrics), its pow run (chain, pool) and the result.</summary>
internal sealed record PowTestRun(ChainWorld World, PowRun Pow, RunResult Result)
{
    public IReadOnlyDictionary<string, double> Scalars => Result.Metrics.Scalars;
}

/// <summary>Small proof-of-work worlds for tests, run through the chain contract (<see cref="ChainWorld"/>) as experiments run them.</summary>
internal static class PowTestWorld
{
    /// <summary>Blocks only (no clients), full mesh, fixed difficulty, no CPU: the setting of the closed forms.</summary>
    public static PowOptions Race(Duration interval, int blocks) => new()
    {
        FullMesh = true,
        TargetInterval = interval,
        TargetHeight = blocks,
        RetargetWindow = 0,
        FixedBlockSize = false,
        BlockValidation = Duration.Zero,
        TxValidation = Duration.Zero,
        RecordArrivals = false,
        ObserverNode = 1,
    };

    /// <summary>Three regions 10–150 ms apart, every node with 10 Mbit/s up and 30 Mbit/s down: a 535 KB block takes 0.43 s to upload.</summary>
    public static NetworkSpec ThreeRegions() => new()
    {
        Regions = ["a", "b", "c"],
        BaseLatency =
        [
            [Duration.FromMillis(10), Duration.FromMillis(80), Duration.FromMillis(150)],
            [Duration.FromMillis(80), Duration.FromMillis(10), Duration.FromMillis(100)],
            [Duration.FromMillis(150), Duration.FromMillis(100), Duration.FromMillis(10)],
        ],
        Upload = [Bandwidth.Mbps(10), Bandwidth.Mbps(10), Bandwidth.Mbps(10)],
        Download = [Bandwidth.Mbps(30), Bandwidth.Mbps(30), Bandwidth.Mbps(30)],
    };

    /// <summary>Bitcoin-like blocks on <see cref="ThreeRegions"/>: 535 KB every block, SimBlock's hash-power spread, 8 outbound peers.</summary>
    public static PowOptions Bitcoin(int blocks) => new()
    {
        TargetHeight = blocks,
        MaxBlockBytes = 535_000,
        FixedBlockSize = true,
        HashPower = new Lab.Sim.Distributions.TruncatedNormal(400_000, 100_000),
        OutDegree = 8,
    };

    /// <summary>Open-loop clients at <paramref name="rate"/> tx/s in all, 250-byte transactions, resending after an hour.</summary>
    public static WorkloadOptions Clients(double rate, int clients = 2) => new()
    {
        Arrivals = new ConstantArrivals(rate),
        Clients = clients,
        TxSizeBytes = new Lab.Sim.Distributions.Constant(250),
        RetryTimeout = Duration.FromHours(1),
    };

    /// <summary>Runs <paramref name="nodes"/> proof-of-work nodes until every honest node holds the target height (or <paramref name="until"/>).</summary>
    public static PowTestRun Run(PowOptions options, int nodes, NetworkSpec network, ulong seed, WorkloadOptions? workload = null,
        ExecutionMode mode = ExecutionMode.Sequential, IEnumerable<ScheduledFault>? faults = null, Duration? until = null, Action<PowRun>? before = null)
    {
        var protocol = new PowProtocol(options);
        var world = ChainWorld.Build(protocol, new ChainOptions { Nodes = nodes, Signing = Lab.Ledger.Crypto.TransactionSigning.Free },
            workload ?? WorkloadOptions.None, network, keySeed: seed);
        before?.Invoke(protocol.Run!);
        var sim = new Simulation(new SimulationOptions { Seed = seed, Mode = mode, EndTime = until is { } u ? SimTime.Zero + u : SimTime.MaxValue },
            network, world.Nodes, faults);
        world.Attach(sim);
        sim.StopWhen = world.StopWhen;
        var result = sim.Run();
        world.Complete(result);
        return new PowTestRun(world, protocol.Run!, result);
    }

    /// <summary>A race on one region with constant one-way latency and no bandwidth limit.</summary>
    public static PowTestRun Run(PowOptions options, int nodes, Duration oneWay, ulong seed, WorkloadOptions? workload = null) =>
        Run(options, nodes, NetworkSpec.Constant(oneWay), seed, workload);
}
