using System.Diagnostics;
using System.Globalization;
using Lab.Consensus.Common;
using Lab.Consensus.Raft;
using Lab.Consensus.Workload;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using Lab.Sim.Workloads;

namespace Lab.Benchmarks;

/// <summary>
/// Issue 4's performance target: Raft with 5 replicas, 10,000 tx/s offered (Poisson, 4 clients) for
/// 60 s of virtual time (600,000 transactions), default block and CPU settings. Reports wall time,
/// virtual seconds per wall second (issue 17: ≥ 60, ≤ 150 B allocated per transaction, ≥ 0.3× the baseline's events/s), events/s and peak memory, next to a kernel
/// baseline measured in the same process (RandomPing over 9 nodes for the same virtual time), so a
/// busy shared machine shows up in both. Usage: <c>raft-throughput [seconds] [rate] [--alloc-profile]</c>
/// (the last prints the measured run's allocations by type, sampled; timings are then not comparable).
/// </summary>
public static class RaftThroughputBenchmark
{
    public static int Run(string[] args)
    {
        var profile = args.Contains("--alloc-profile");
        args = [.. args.Where(a => a != "--alloc-profile")];
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 60;
        var rate = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var network = new NetworkSpec
        {
            BaseLatency = [[Duration.FromMillis(5)]],
            Upload = [Bandwidth.Gbps(1)],
            Download = [Bandwidth.Gbps(1)],
        };
        var end = SimTime.Zero + Duration.FromSeconds(seconds);

        var pingNodes = Enumerable.Range(0, 9).Select(i => new NodeSpec($"p{i}", 0, "node", () => new RandomPing(20, Duration.FromMicros(20)))).ToList();
        RunResult Ping(SimTime until) => new Simulation(new SimulationOptions { Seed = 1, EndTime = until }, network, pingNodes).Run();
        RunResult Raft(SimTime until)
        {
            var w = ChainWorld.Build(new RaftProtocol(new RaftOptions()), new ChainOptions(),
                new WorkloadOptions { Arrivals = new PoissonArrivals(rate), Clients = 4, Warmup = Duration.FromSeconds(2) }, network);
            var sim = new Simulation(new SimulationOptions { Seed = 1, EndTime = until }, network, w.Nodes);
            w.Attach(sim);
            var r = sim.Run();
            w.Complete(r);
            return r;
        }

        // Warm-up (as BenchmarkDotNet would): 3 virtual seconds of each, so JIT tiering is mostly done.
        var warm = SimTime.Zero + Duration.FromSeconds(Math.Min(3, seconds));
        Ping(warm);
        Raft(warm);

        // Baseline first: the kernel alone, same virtual duration, similar node count.
        var (ping, pingWall, _, pingCpu) = Measure(() => Ping(end));
        var alloc0 = GC.GetTotalAllocatedBytes();
        var gcs0 = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        using var sampler = profile ? new AllocationSampler() : null;
        sampler?.Start();
        var (raft, raftWall, peak, raftCpu) = Measure(() => Raft(end));
        sampler?.Stop();
        var allocated = GC.GetTotalAllocatedBytes() - alloc0;
        var gcs = (GC.CollectionCount(0) - gcs0.Item1, GC.CollectionCount(1) - gcs0.Item2, GC.CollectionCount(2) - gcs0.Item3);

        static string F(double v) => v.ToString("N1", CultureInfo.InvariantCulture);
        Console.WriteLine($"raft-throughput: 5 replicas, {rate:N0} tx/s offered, {seconds} s virtual");
        Console.WriteLine($"  submitted          {raft.Metrics.Counter(StandardMetrics.SubmittedTx):N0} tx, committed {raft.Metrics.Counter(StandardMetrics.CommittedTx):N0} tx, throughput {F(raft.Metrics.Scalars[StandardMetrics.ThroughputTps])} tx/s");
        Console.WriteLine($"  commit latency     p50 {raft.Metrics.Scalars.GetValueOrDefault(Quantile.Name(StandardMetrics.CommitLatency, 0.50)) * 1000:N1} ms, p99 {raft.Metrics.Scalars.GetValueOrDefault(Quantile.Name(StandardMetrics.CommitLatency, 0.99)) * 1000:N1} ms; leader CPU {raft.Metrics.Scalars[StandardMetrics.CpuUtilisationMax]:P0}");
        Console.WriteLine($"  safety violations  {(raft.Metrics.Scalars[StandardMetrics.SafetyViolations] + raft.Metrics.Scalars[StandardMetrics.ValidityViolations])}");
        Console.WriteLine($"  wall time          {F(raftWall)} s");
        Console.WriteLine($"  virtual s / wall s {F(seconds / raftWall)} (target ≥ 60); per CPU-second of the process {F(seconds / raftCpu)} (CPU {F(raftCpu)} s)");
        Console.WriteLine($"  events             {raft.Stats.EventsProcessed:N0} ({raft.Stats.EventsProcessed / raftWall:N0} events/s), {raft.Stats.MessagesSent:N0} messages");
        Console.WriteLine($"  peak working set   {peak / 1e6:N0} MB; allocated {allocated / 1e6:N0} MB ({allocated / Math.Max(1, raft.Metrics.Counter(StandardMetrics.SubmittedTx)):N0} B per tx, target ≤ 150); GCs gen0/1/2 {gcs.Item1}/{gcs.Item2}/{gcs.Item3}");
        Console.WriteLine($"baseline RandomPing (9 nodes × 20 tokens, same {seconds} s virtual, same process):");
        Console.WriteLine($"  wall {F(pingWall)} s, {ping.Stats.EventsProcessed:N0} events ({ping.Stats.EventsProcessed / pingWall:N0} events/s), virtual s / wall s {F(seconds / pingWall)}; per CPU-second {F(seconds / pingCpu)} (CPU {F(pingCpu)} s)");
        Console.WriteLine($"ratio raft/baseline events/s: wall {(raft.Stats.EventsProcessed / raftWall) / (ping.Stats.EventsProcessed / pingWall):N2}, CPU {(raft.Stats.EventsProcessed / raftCpu) / (ping.Stats.EventsProcessed / pingCpu):N2}");
        sampler?.Print(20, (long)raft.Metrics.Counter(StandardMetrics.SubmittedTx), "tx");
        Console.WriteLine($"machine load average at the end: {LoadAverage()}");
        return (raft.Metrics.Scalars[StandardMetrics.SafetyViolations] + raft.Metrics.Scalars[StandardMetrics.ValidityViolations]) > 0 ? 3 : 0;
    }

    // Wall time and the process's CPU time (all threads: JIT and GC included). On a shared, overloaded
    // machine CPU time is the steadier of the two.
    private static (RunResult Result, double WallSeconds, long PeakBytes, double CpuSeconds) Measure(Func<RunResult> run)
    {
        GC.Collect();
        using var before = Process.GetCurrentProcess();
        var cpu0 = before.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = run();
        sw.Stop();
        using var p = Process.GetCurrentProcess();
        return (result, sw.Elapsed.TotalSeconds, p.PeakWorkingSet64, (p.TotalProcessorTime - cpu0).TotalSeconds);
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); }
        catch (IOException) { return "unknown"; }
    }
}
