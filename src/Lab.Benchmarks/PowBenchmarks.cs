using Lab.Consensus.Pow;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Lab.Sim.Kernel;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using Lab.Sim.Workloads;

namespace Lab.Benchmarks;

/// <summary>
/// <c>scenarios/consensus/pow-bitcoin.yaml</c> (SimBlock's 2019 Bitcoin setup, 100 blocks) as a
/// BenchmarkDotNet suite: one cold iteration per case (a run is seconds long), with the kernel's
/// RandomPing on the same nodes and network as the baseline. <c>pow-scale</c> in Program.cs runs
/// the same file faster and prints its figures and peak working set.
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

    private PowBitcoinSetup Setup() => PowBitcoinSetup.Load([$"chain.nodes={Nodes}"]);

    /// <summary>Kernel only: 2 million token passes on the same nodes and network.</summary>
    [Benchmark(Baseline = true)]
    public long RandomPing()
    {
        var setup = Setup();
        var nodes = Enumerable.Range(0, Nodes)
            .Select(i => new NodeSpec($"n{i}", i % setup.Network.Regions.Count, "node", () => new RandomPing(1, Duration.Zero)))
            .ToList();
        return new Simulation(new SimulationOptions { Seed = setup.Run.Seed, MaxEvents = 2_000_000, Mode = Mode }, setup.Network, nodes).Run().Stats.EventsProcessed;
    }

    [Benchmark]
    public double PowBitcoin() => Setup().RunOnce(Mode).Metrics.Scalars[PowMetrics.StaleRate];
}
