using Lab.Consensus.Pow;
using Lab.Sim.Metrics;
using System.Diagnostics;
using System.Globalization;
using Lab.Sim.Kernel;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using Lab.Sim.Workloads;

namespace Lab.Benchmarks;

/// <summary>
/// Scale run of <c>scenarios/consensus/pow-bitcoin.yaml</c> — the file itself, run as <c>lab run</c>
/// runs it (<see cref="PowBitcoinSetup"/>), so for the same seed it prints the figures <c>lab run</c>
/// writes to summary.json. One configuration per process, so the peak working set is this run's own.
/// Prints wall time, peak memory, events and events/s, and the same for a kernel baseline
/// (RandomPing on the same number of nodes and the same network) run first in the same process, so
/// results on a shared machine read as ratios. Figures: blocks, stale rate, per-block time to reach
/// 50% and 90% of nodes (median and p90 over blocks), and SimBlock's own statistic, the median and
/// p90 over every (block, node) arrival.
/// <code>dotnet run -c Release --project src/Lab.Benchmarks -- pow-scale [--nodes 6000] [--blocks 100] [--seed 1] [--set key=value]... [--mode Sequential] [--baseline-events 5000000] [--no-baseline]</code>
/// </summary>
public static class PowScale
{
    public static int Run(string[] args)
    {
        long baselineEvents = 5_000_000;
        var mode = ExecutionMode.Sequential;
        var baseline = true;
        var overrides = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--nodes": overrides.Add("chain.nodes=" + args[++i]); break;
                case "--blocks":
                    var blocks = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    overrides.Add($"chain.pow.blocks={blocks}");
                    // The run ends by itself after the last block; the duration only has to be long enough.
                    overrides.Add($"duration={Math.Max(3 * 24 * 60, blocks * 30)}min");
                    break;
                case "--seed": overrides.Add("seed=" + args[++i]); break;
                case "--set": overrides.Add(args[++i]); break;
                case "--mode": mode = Enum.Parse<ExecutionMode>(args[++i], ignoreCase: true); break;
                case "--baseline-events": baselineEvents = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--no-baseline": baseline = false; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        var setup = PowBitcoinSetup.Load(overrides);
        var nodes = setup.Run.Point.Config.Int("chain.nodes");

        if (baseline)
        {
            // Kernel baseline: one token per node bouncing between random nodes, on the same network.
            var network = setup.Network;
            var pingNodes = Enumerable.Range(0, nodes)
                .Select(i => new NodeSpec($"n{i}", i % network.Regions.Count, "node", () => new RandomPing(1, Duration.Zero)))
                .ToList();
            var sim = new Simulation(new SimulationOptions { Seed = setup.Run.Seed, MaxEvents = baselineEvents, Mode = mode }, network, pingNodes);
            var sw = Stopwatch.StartNew();
            var r = sim.Run();
            sw.Stop();
            Report("baseline-random-ping", nodes, mode, sw.Elapsed.TotalSeconds, r.Stats.EventsProcessed, r.Stats.Windows, "");
            pingNodes = null;
            sim = null;
            GC.Collect();
        }

        var sw2 = Stopwatch.StartNew();
        var result = setup.RunOnce(mode);
        sw2.Stop();
        var s = result.Metrics.Scalars;
        string F(string k) => s.TryGetValue(k, out var v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "-";
        Report(setup.Experiment.Name, nodes, mode, sw2.Elapsed.TotalSeconds, result.Stats.EventsProcessed, result.Stats.Windows,
            $"seed={setup.Run.Seed} blocks={F(PowMetrics.BlocksMainChain)} mined={F(PowMetrics.BlocksMined)} stale_rate={F(PowMetrics.StaleRate)} " +
            $"reach50_p50={F(Quantile.Name(PowMetrics.BlockReach50, 0.5))}s reach50_p90={F(Quantile.Name(PowMetrics.BlockReach50, 0.9))}s " +
            $"reach90_p50={F(Quantile.Name(PowMetrics.BlockReach90, 0.5))}s reach90_p90={F(Quantile.Name(PowMetrics.BlockReach90, 0.9))}s " +
            $"arrival_p50={F(Quantile.Name(PowMetrics.BlockArrival, 0.5))}s arrival_p90={F(Quantile.Name(PowMetrics.BlockArrival, 0.9))}s " +
            $"interval={F(PowMetrics.MeanBlockInterval)}s tps={F(PowMetrics.ChainTps)} stop={result.Stats.StoppedBy}");
        if (nodes == 6000) ReportReference(sw2.Elapsed.TotalSeconds);
        return 0;
    }

    /// <summary>SimBlock (Java, 5fc7f9f) on the same setup with compact blocks off, measured on the lab's 2-core
    /// machine (issue 17): the peer this file is compared with. The target is at most half of both.</summary>
    private const double SimBlockWallSeconds = 21.9, SimBlockPeakMb = 706;

    private static void ReportReference(double wall)
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        var peakMb = p.PeakWorkingSet64 / 1048576.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reference simblock-java nodes=6000 blocks=100 compact_blocks=off wall_s={SimBlockWallSeconds} peak_rss_mb={SimBlockPeakMb} " +
            $"(this run in-process, without startup and results: wall {wall / SimBlockWallSeconds:0.00}x, peak {peakMb / SimBlockPeakMb:0.00}x; end to end: /usr/bin/time -v ./lab run scenarios/consensus/pow-bitcoin.yaml)"));
    }

    private static void Report(string what, int nodes, ExecutionMode mode, double wall, long events, long windows, string extra)
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what} nodes={nodes} mode={mode} wall_s={wall:0.00} process_cpu_s={p.TotalProcessorTime.TotalSeconds:0.00} peak_ws_mb={p.PeakWorkingSet64 / 1048576.0:0} " +
            $"gc_heap_mb={GC.GetTotalMemory(false) / 1048576.0:0} events={events} windows={windows} events_per_s={events / wall:0} {extra}"));
    }
}
