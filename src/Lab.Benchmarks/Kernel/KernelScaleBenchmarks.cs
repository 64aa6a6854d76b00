using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Lab.Sim.Kernel;
using Lab.Sim.Time;

namespace Lab.Benchmarks.Kernel;

/// <summary>
/// <see cref="KernelBenchmarks"/>' random ping at 6,000 and 60,000 nodes (8 tokens per node): the
/// bare single-threaded loop as the baseline and the kernel with each executor, so the Ratio column
/// shows whether the kernel's cost per event stays independent of the node count. Building the nodes
/// is outside the measurement (one run per iteration). The <c>kernel-scale</c> command prints the
/// same comparison faster.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class KernelScaleBenchmarks
{
    public const int Events = 1_000_000;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // One run per iteration (its nodes are built in the iteration's setup); a run takes seconds.
            AddJob(Job.Default.WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(StatisticColumn.OperationsPerSecond);
            SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
        }
    }

    [Params(6_000, 60_000)]
    public int Nodes { get; set; }

    private BareLoop? _bare;
    private Simulation? _sim;

    [IterationSetup(Target = nameof(BareLoop))]
    public void SetupBare() => _bare = new BareLoop(KernelBenchmarks.Specs(Nodes, 8), KernelBenchmarks.NetBase, 1, KernelBenchmarks.Net.Jitter);

    [IterationSetup(Target = nameof(KernelSequential))]
    public void SetupSequential() => _sim = Build(ExecutionMode.Sequential);

    [IterationSetup(Target = nameof(KernelActors))]
    public void SetupActors() => _sim = Build(ExecutionMode.Actors);

    private Simulation Build(ExecutionMode mode) =>
        new(new SimulationOptions { Seed = 1, MaxEvents = Events, Mode = mode }, KernelBenchmarks.Net, KernelBenchmarks.Specs(Nodes, 8));

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public long BareLoop() => _bare!.Run(Events);

    [Benchmark(OperationsPerInvoke = Events)]
    public long KernelSequential() => _sim!.Run().Stats.EventsProcessed;

    [Benchmark(OperationsPerInvoke = Events)]
    public long KernelActors() => _sim!.Run().Stats.EventsProcessed;
}
