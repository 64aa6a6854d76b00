using BenchmarkDotNet.Running;

namespace Lab.Benchmarks;

/// <summary>Benchmark entry point: a named command, or BenchmarkDotNet's own switcher.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            // ---- ledger and Raft (issue 4) ----
            case "ledger-crypto":
                BenchmarkRunner.Run<LedgerCryptoBenchmarks>(args: args[1..]);
                return 0;
            case "raft-throughput":
                return RaftThroughputBenchmark.Run(args[1..]);
            // ---- end ledger and Raft ----
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
