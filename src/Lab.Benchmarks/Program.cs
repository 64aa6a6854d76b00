using BenchmarkDotNet.Running;
using Lab.Benchmarks;

// `pow-scale ...` runs the proof-of-work scale measurement; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "pow-scale") return PowScale.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(PowScale).Assembly).Run(args);
return 0;
