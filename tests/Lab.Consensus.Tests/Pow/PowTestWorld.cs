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

    public static (PowRun Run, RunResult Result) Run(PowOptions options, Duration oneWay, ulong seed,
        ExecutionMode mode = ExecutionMode.Sequential, NetworkSpec? network = null)
    {
        var net = network ?? NetworkSpec.Constant(oneWay);
        var run = PowWorld.Build(options, net, null, seed);
        var result = run.Run(new SimulationOptions { Seed = seed, Mode = mode });
        return (run, result);
    }
}
