using BenchmarkDotNet.Running;
using Lab.Benchmarks;

// `bft-scale ...` runs the PBFT/HotStuff scale measurement; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "bft-scale") return BftScale.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(BftScale).Assembly).Run(args);
return 0;
