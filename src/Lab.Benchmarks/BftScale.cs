using System.Diagnostics;
using System.Globalization;
using Lab.Consensus.Common;
using Lab.Consensus.HotStuff;
using Lab.Consensus.Pbft;
using Lab.Consensus.Workload;
using Lab.Ledger.Batching;
using Lab.Sim.Distributions;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using Lab.Sim.Workloads;

namespace Lab.Benchmarks;

/// <summary>
/// Scale run of the BFT protocols (issue 5 §7): n replicas in three regions, Poisson load from 16
/// clients, signatures modelled as CPU cost. Prints wall time, events, events/s and peak memory per
/// protocol, after a kernel baseline (RandomPing on the same nodes and network) in the same process,
/// so results on a shared machine read as ratios.
/// <code>dotnet run -c Release --project src/Lab.Benchmarks -- bft-scale [--protocol pbft|hotstuff|both] [--nodes 64] [--rate 1000] [--seconds 60] [--mode Sequential] [--baseline-events 5000000] [--no-baseline] [--alloc-profile]</code>
/// Each line also gives the process CPU seconds of that run and the events per CPU second against the
/// baseline's (steadier than wall time on a loaded machine), and the bytes allocated per event.
/// <c>--alloc-profile</c> prints each protocol run's allocations by type (sampled, <see cref="AllocationSampler"/>;
/// timings are then not comparable).
/// </summary>
public static class BftScale
{
    private static double _baselineEventsPerSecond = double.NaN;
    private static double _baselineEventsPerCpuSecond = double.NaN;
    private static bool _allocProfile;

    /// <summary>Hong Kong, Frankfurt, US East: one-way latencies of the aws-3-regions sketch, 1 Gbps per node.</summary>
    public static NetworkSpec ThreeRegions() => new()
    {
        Regions = ["hong-kong", "frankfurt", "us-east"],
        BaseLatency =
        [
            [Duration.FromMillis(1), Duration.FromMillis(95), Duration.FromMillis(105)],
            [Duration.FromMillis(95), Duration.FromMillis(1), Duration.FromMillis(45)],
            [Duration.FromMillis(105), Duration.FromMillis(45), Duration.FromMillis(1)],
        ],
        Upload = [Bandwidth.Gbps(1), Bandwidth.Gbps(1), Bandwidth.Gbps(1)],
        Download = [Bandwidth.Gbps(1), Bandwidth.Gbps(1), Bandwidth.Gbps(1)],
    };

    public static int Run(string[] args)
    {
        int nodes = 64, clients = 16;
        double rate = 1000, seconds = 60;
        long baselineEvents = 5_000_000;
        var mode = ExecutionMode.Sequential;
        var protocol = "both";
        bool baseline = true;
        ulong seed = 1;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--protocol": protocol = args[++i]; break;
                case "--nodes": nodes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rate": rate = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--mode": mode = Enum.Parse<ExecutionMode>(args[++i], ignoreCase: true); break;
                case "--seed": seed = ulong.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--baseline-events": baselineEvents = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--no-baseline": baseline = false; break;
                case "--alloc-profile": _allocProfile = true; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        var network = ThreeRegions();

        if (baseline)
        {
            // SHA-256 of two digests (Merkle inner node, checkpoint digests): the ledger's Hash.Combine.
            var h = Lab.Ledger.Crypto.Hash.Zero;
            var hw = Stopwatch.StartNew();
            for (int i = 0; i < 20_000; i++) h = Lab.Ledger.Crypto.Hash.Combine(h, h);
            hw.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hash-combine calls=20000 us_per_call={hw.Elapsed.TotalMilliseconds * 1000 / 20_000:0.00} ({h.Short})"));

            var ping = Enumerable.Range(0, nodes)
                .Select(i => new NodeSpec($"n{i}", i % 3, "node", () => new RandomPing(4, Duration.Zero))).ToList();
            var sim = new Simulation(new SimulationOptions { Seed = seed, MaxEvents = baselineEvents, Mode = mode }, network, ping);
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var alloc0 = GC.GetTotalAllocatedBytes();
            var sw = Stopwatch.StartNew();
            var r = sim.Run();
            sw.Stop();
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            Report("baseline-random-ping", nodes, mode, sw.Elapsed.TotalSeconds, cpu, GC.GetTotalAllocatedBytes() - alloc0, r, "");
            _baselineEventsPerSecond = r.Stats.EventsProcessed / sw.Elapsed.TotalSeconds;
            _baselineEventsPerCpuSecond = r.Stats.EventsProcessed / cpu;
            GC.Collect();
        }

        var chain = new ChainOptions { Nodes = nodes, Placement = network.Regions };
        var workload = new WorkloadOptions
        {
            Arrivals = new PoissonArrivals(rate),
            Clients = clients,
            TxSizeBytes = new Constant(512),
            RetryTimeout = Duration.FromSeconds(5),
            Warmup = Duration.FromSeconds(Math.Min(10, seconds / 6)),
        };
        if (protocol is "pbft" or "both")
            Measure("pbft", nodes, mode, seed, seconds, network,
                ChainWorld.Build(new PbftProtocol(new PbftOptions { Block = new BlockOptions { MaxTransactions = 500, BatchTimeout = Duration.FromMillis(100) }, ViewChangeTimeout = Duration.FromSeconds(5) }), chain, workload, network));
        if (protocol is "hotstuff" or "both")
            Measure("hotstuff", nodes, mode, seed, seconds, network,
                ChainWorld.Build(new HotStuffProtocol(new HotStuffOptions { Block = new BlockOptions { MaxTransactions = 500, BatchTimeout = Duration.FromMillis(10) }, ViewTimeout = Duration.FromSeconds(5) }), chain, workload, network));
        return 0;
    }

    private static void Measure(string what, int nodes, ExecutionMode mode, ulong seed, double seconds, NetworkSpec network, ChainWorld world)
    {
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = SimTime.Zero + Duration.FromSeconds(seconds), Mode = mode }, network, world.Nodes);
        world.Attach(sim);
        using var sampler = _allocProfile ? new AllocationSampler() : null;
        sampler?.Start();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var alloc0 = GC.GetTotalAllocatedBytes();
        var sw = Stopwatch.StartNew();
        var result = sim.Run();
        sw.Stop();
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes() - alloc0;
        sampler?.Stop();
        world.Complete(result);
        var m = result.Metrics.Scalars;
        string F(string k, string format = "0.###") => m.TryGetValue(k, out var v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
        Report(what, nodes, mode, sw.Elapsed.TotalSeconds, cpu, allocated, result,
            $"virtual_s={seconds} tps={F(StandardMetrics.ThroughputTps)} latency_p50_s={F(Quantile.Name(StandardMetrics.CommitLatency, 0.50))} latency_p99_s={F(Quantile.Name(StandardMetrics.CommitLatency, 0.99))} " +
            $"msgs_per_decision={F(StandardMetrics.MessagesPerDecision, "0")} bytes_per_decision={F(StandardMetrics.BytesPerDecision, "0")} height={F(StandardMetrics.Decisions, "0")} " +
            $"view_changes={F(StandardMetrics.LeaderElections)} cpu_max={F(StandardMetrics.CpuUtilisationMax)} safety_violations={F(StandardMetrics.SafetyViolations, "0")} validity_violations={F(StandardMetrics.ValidityViolations, "0")} " +
            string.Create(CultureInfo.InvariantCulture, $"events_per_s_vs_baseline={result.Stats.EventsProcessed / sw.Elapsed.TotalSeconds / _baselineEventsPerSecond:0.00} events_per_cpu_s_vs_baseline={result.Stats.EventsProcessed / cpu / _baselineEventsPerCpuSecond:0.00}"));
        sampler?.Print(25, result.Stats.EventsProcessed, "event");
        GC.Collect();
    }

    private static void Report(string what, int nodes, ExecutionMode mode, double wall, double cpu, long allocated, RunResult r, string extra)
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        var events = r.Stats.EventsProcessed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what} nodes={nodes} mode={mode} wall_s={wall:0.00} cpu_s={cpu:0.00} alloc_b_per_event={allocated / (double)Math.Max(1, r.Stats.EventsProcessed):0} peak_ws_mb={p.PeakWorkingSet64 / 1048576.0:0} gc_heap_mb={GC.GetTotalMemory(false) / 1048576.0:0} " +
            $"events={events} messages={r.Stats.MessagesSent} windows={r.Stats.Windows} events_per_s={events / wall:0} {extra}"));
    }
}
