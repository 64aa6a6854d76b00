using Lab.Consensus.Pow;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Pow;

/// <summary>Small worlds for the statistical tests: one region, constant latency, no bandwidth limit unless given.</summary>
internal static class PowTestWorld
{
    public static PowOptions Race(int nodes, Duration interval, int blocks) => new()
    {
        Nodes = nodes,
        FullMesh = true,
        TargetInterval = interval,
        TargetHeight = blocks,
        RetargetWindow = 0,
        TxPerSecond = 0,
        FixedBlockSize = false,
        BlockValidation = Duration.Zero,
        TxValidation = Duration.Zero,
        RecordArrivals = false,
        ClientNode = 1,
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
    public static PowOptions Bitcoin(int nodes, int blocks) => new()
    {
        Nodes = nodes,
        TargetHeight = blocks,
        MaxBlockBytes = 535_000,
        FixedBlockSize = true,
        HashPower = new Lab.Sim.Distributions.TruncatedNormal(400_000, 100_000),
        OutDegree = 8,
        TxPerSecond = 7,
    };

    public static (PowRun Run, RunResult Result) Run(PowOptions options, Duration oneWay, ulong seed,
        ExecutionMode mode = ExecutionMode.Sequential, NetworkSpec? network = null)
    {
        var net = network ?? NetworkSpec.Constant(oneWay);
        var run = PowWorld.Build(options, net, null, seed);
        var result = run.Run(new SimulationOptions { Seed = seed, Mode = mode });
        return (run, result);
    }
}
