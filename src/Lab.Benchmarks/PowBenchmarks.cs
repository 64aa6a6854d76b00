using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Lab.Consensus.Pow;
using Lab.Sim.Kernel;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using Lab.Sim.Workloads;

namespace Lab.Benchmarks;

/// <summary>
/// pow-bitcoin (SimBlock 2019 network, 535 KB blocks, 100 blocks) as a BenchmarkDotNet suite: one
/// cold iteration per case (a run is seconds long), with the kernel's RandomPing on the same
/// nodes and network as the baseline. <c>pow-scale</c> in Program.cs prints the same figures
/// faster, with peak working set.
/// <code>dotnet run -c Release --project src/Lab.Benchmarks -- --filter *PowBenchmarks*</code>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1)]
public class PowBenchmarks
{
    [Params(6000, 10000)]
    public int Nodes { get; set; }

    [Params(ExecutionMode.Sequential, ExecutionMode.Actors)]
    public ExecutionMode Mode { get; set; }

    /// <summary>Kernel only: 2 million token passes on the same nodes and network.</summary>
    [Benchmark(Baseline = true)]
    public long RandomPing()
    {
        var network = SimBlockNetwork.Spec();
        var nodes = Enumerable.Range(0, Nodes)
            .Select(i => new NodeSpec($"n{i}", i % network.Regions.Count, "node", () => new RandomPing(1, Duration.Zero)))
            .ToList();
        return new Simulation(new SimulationOptions { Seed = 1, MaxEvents = 2_000_000, Mode = Mode }, network, nodes).Run().Stats.EventsProcessed;
    }

    [Benchmark]
    public double PowBitcoin()
    {
        var run = PowWorld.Build(SimBlockNetwork.Bitcoin2019(Nodes, 100), SimBlockNetwork.Spec(), SimBlockNetwork.NodeShare, 1);
        var result = run.Run(new SimulationOptions { Seed = 1, Mode = Mode });
        return result.Metrics.Scalars["stale_rate"];
    }
}
