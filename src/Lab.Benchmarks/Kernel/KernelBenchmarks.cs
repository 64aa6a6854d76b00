using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Lab.Sim.Distributions;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using Lab.Sim.Workloads;

namespace Lab.Benchmarks.Kernel;

/// <summary>
/// 64 nodes passing tokens at random (<see cref="RandomPing"/>, 8 tokens per node in flight) for a
/// fixed number of events. Mean time is per event; Op/s is events per second. The bare loop is the
/// baseline, so the Ratio column is the kernel's cost relative to the limit.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class KernelBenchmarks
{
    public const int Events = 1_000_000;
    private const int Nodes = 64;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(StatisticColumn.OperationsPerSecond);
            SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
        }
    }

    private static List<NodeSpec> Specs() => Specs(Nodes, 8);

    internal static List<NodeSpec> Specs(int nodes, int tokens) =>
        Enumerable.Range(0, nodes).Select(i => new NodeSpec($"n{i}", 0, "node", () => new RandomPing(tokens, Duration.Zero))).ToList();

    // 1–3 ms one-way: lookahead 1 ms, so each window holds many events across many nodes.
    internal static readonly Duration NetBase = Duration.FromMillis(1);
    internal static readonly NetworkSpec Net = new() { BaseLatency = [[NetBase]], Jitter = new Uniform(0, 0.002) };

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public long BareLoop() => new BareLoop(Specs(), NetBase, 1, Net.Jitter).Run(Events);

    [Benchmark(OperationsPerInvoke = Events)]
    public long KernelSequential() => Run(ExecutionMode.Sequential);

    [Benchmark(OperationsPerInvoke = Events)]
    public long KernelActors() => Run(ExecutionMode.Actors);

    private static long Run(ExecutionMode mode) =>
        new Simulation(new SimulationOptions { Seed = 1, MaxEvents = Events, Mode = mode }, Net, Specs()).Run().Stats.EventsProcessed;
}
