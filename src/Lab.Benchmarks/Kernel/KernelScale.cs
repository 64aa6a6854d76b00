using System.Diagnostics;
using System.Globalization;
using Lab.Sim.Distributions;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using Lab.Sim.Workloads;

namespace Lab.Benchmarks.Kernel;

/// <summary>
/// The kernel benchmark's workload (<see cref="RandomPing"/>, 1–3 ms links, 1 ms lookahead) at
/// several node counts, each against the bare single-threaded loop in the same process (drawing the
/// same delays from the same kind of per-node stream as the kernel's network model), so the
/// ratio reads on a shared machine. Setup (building the nodes) is outside the timed part; each
/// figure is the best of <c>--repeat</c> runs, with the process CPU time of the timed parts.
/// <c>cpu_vs_bare_loop</c> compares events per CPU second: on a loaded machine wall time mostly
/// measures the wait for a core (for the actor executor it hides the second core's work).
/// <code>dotnet run -c Release --project src/Lab.Benchmarks -- kernel-scale [--nodes 64,6000,60000] [--tokens 8] [--events 2000000] [--repeat 3]</code>
/// </summary>
public static class KernelScale
{
    public static int Run(string[] args)
    {
        int[] counts = [64, 6_000, 60_000];
        int tokens = 8, repeat = 3;
        long events = 2_000_000;
        var modes = new List<ExecutionMode> { ExecutionMode.Sequential, ExecutionMode.Actors };
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--nodes": counts = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--tokens": tokens = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--events": events = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--sequential-only": modes.Remove(ExecutionMode.Actors); break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        foreach (var n in counts)
        {
            var bare = Best(repeat, () =>
            {
                var loop = new BareLoop(KernelBenchmarks.Specs(n, tokens), KernelBenchmarks.NetBase, 1, KernelBenchmarks.Net.Jitter);
                return () => loop.Run(events);
            });
            Print(n, tokens, "bare-loop", bare, bare);
            // The earlier baseline, shown for comparison: a constant 2 ms (the mean), no latency draw per message.
            var constant = Best(repeat, () =>
            {
                var loop = new BareLoop(KernelBenchmarks.Specs(n, tokens), Duration.FromMillis(2), 1);
                return () => loop.Run(events);
            });
            Print(n, tokens, "bare-loop-constant", constant, bare);
            foreach (var mode in modes)
            {
                long windows = 0;
                var k = Best(repeat, () =>
                {
                    var sim = new Simulation(new SimulationOptions { Seed = 1, MaxEvents = events, Mode = mode }, KernelBenchmarks.Net, KernelBenchmarks.Specs(n, tokens));
                    return () => { var st = sim.Run().Stats; windows = st.Windows; return st.EventsProcessed; };
                });
                Print(n, tokens, "kernel-" + mode.ToString().ToLowerInvariant(), k, bare,
                    string.Create(CultureInfo.InvariantCulture, $" windows={windows} events_per_window={k.Events / (double)Math.Max(1, windows):0} windows_per_s={windows / k.Wall:0}"));
            }
        }
        return 0;
    }

    private readonly record struct Measure(double Wall, double Cpu, long Events);

    private static Measure Best(int repeat, Func<Func<long>> build)
    {
        Measure best = new(double.MaxValue, 0, 0);
        for (int r = 0; r < repeat; r++)
        {
            var run = build();
            GC.Collect();
            using var p = Process.GetCurrentProcess();
            var cpu0 = p.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var ev = run();
            sw.Stop();
            p.Refresh();
            var m = new Measure(sw.Elapsed.TotalSeconds, (p.TotalProcessorTime - cpu0).TotalSeconds, ev);
            if (m.Wall < best.Wall) best = m;
        }
        return best;
    }

    private static void Print(int nodes, int tokens, string what, Measure m, Measure bare, string extra = "") =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"nodes={nodes,-6} tokens/node={tokens} {what,-18} events={m.Events} wall_s={m.Wall:0.000} cpu_s={m.Cpu:0.000} " +
            $"events_per_s={m.Events / m.Wall:0} vs_bare_loop={(m.Events / m.Wall) / (bare.Events / bare.Wall):0.00}x " +
            $"cpu_vs_bare_loop={(m.Events / m.Cpu) / (bare.Events / bare.Cpu):0.00}x{extra}"));
}
