using BenchmarkDotNet.Running;
using Lab.Benchmarks.Kernel;
using Lab.Sim.Kernel;

// BenchmarkDotNet suites: dotnet run -c Release --project src/Lab.Benchmarks -- --filter '*Kernel*'
// Measurement commands (one process, baseline in the same run): dotnet run -c Release --project src/Lab.Benchmarks -- <command>
switch (args.FirstOrDefault())
{
    case "node-memory":
        foreach (var mode in new[] { ExecutionMode.Sequential, ExecutionMode.Actors })
            Console.WriteLine($"{mode,-10} idle node: {IdleNodeMemory.BytesPerNode(10_000, mode):F0} bytes (10,000 nodes)");
        return;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(KernelBenchmarks).Assembly).Run(args);
        return;
}
