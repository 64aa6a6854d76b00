using BenchmarkDotNet.Running;
using Lab.Benchmarks.Kernel;
using Lab.Sim.Kernel;

namespace Lab.Benchmarks;

/// <summary>
/// Benchmark entry point. BenchmarkDotNet suites:
/// <c>dotnet run -c Release --project src/Lab.Benchmarks -- --filter '*Kernel*'</c>.
/// Measurement commands (one process, baseline measured in the same run):
/// <c>dotnet run -c Release --project src/Lab.Benchmarks -- &lt;command&gt;</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "node-memory":
                foreach (var mode in new[] { ExecutionMode.Sequential, ExecutionMode.Actors })
                    Console.WriteLine($"{mode,-10} idle node: {IdleNodeMemory.BytesPerNode(10_000, mode):F0} bytes (10,000 nodes)");
                return 0;
            case "ledger-crypto":
                BenchmarkRunner.Run<LedgerCryptoBenchmarks>(args: args[1..]);
                return 0;
            case "raft-throughput":
                return RaftThroughputBenchmark.Run(args[1..]);
            case "kernel-scale":
                return KernelScale.Run(args[1..]);
            case "pow-scale":
                return PowScale.Run(args[1..]);
            case "bft-scale":
                return BftScale.Run(args[1..]);
            case "raft-election":
                return RaftElectionBenchmark.Run(args[1..]);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
