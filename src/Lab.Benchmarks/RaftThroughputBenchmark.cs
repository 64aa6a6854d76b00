using System.Diagnostics;
using System.Globalization;
using Lab.Consensus.Common;
using Lab.Consensus.Raft;
using Lab.Consensus.Workload;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using Lab.Sim.Workloads;

namespace Lab.Benchmarks;

/// <summary>
/// Issue 4's performance target: Raft with 5 replicas, 10,000 tx/s offered (Poisson, 4 clients) for
/// 60 s of virtual time (600,000 transactions), default block and CPU settings. Reports wall time,
/// virtual seconds per wall second (target ≥ 30), events/s and peak memory, next to a kernel
/// baseline measured in the same process (RandomPing over 9 nodes for the same virtual time), so a
/// busy shared machine shows up in both. Usage: <c>raft-throughput [seconds] [rate]</c>.
/// </summary>
public static class RaftThroughputBenchmark
{
    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 60;
        var rate = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var network = new NetworkSpec
        {
            BaseLatency = [[Duration.FromMillis(5)]],
            Upload = [Bandwidth.Gbps(1)],
            Download = [Bandwidth.Gbps(1)],
        };
        var end = SimTime.Zero + Duration.FromSeconds(seconds);

        // Baseline first: the kernel alone, same virtual duration, similar node count.
        var pingNodes = Enumerable.Range(0, 9).Select(i => new NodeSpec($"p{i}", 0, "node", () => new RandomPing(20, Duration.FromMicros(20)))).ToList();
        var (ping, pingWall, _) = Measure(() => new Simulation(new SimulationOptions { Seed = 1, EndTime = end }, network, pingNodes).Run());

        var world = RaftWorld.Build(new RaftOptions(), new ChainOptions(),
            new WorkloadOptions { Arrivals = new PoissonArrivals(rate), Clients = 4, Warmup = Duration.FromSeconds(2) }, network);
        ChainWorld? w = world;
        var (raft, raftWall, peak) = Measure(() =>
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1, EndTime = end }, network, w.Nodes);
            if (Environment.GetEnvironmentVariable("LAB_NO_OBSERVERS") is null) w.Attach(sim);
            var r = sim.Run();
            w.Complete(r);
            return r;
        });

        static string F(double v) => v.ToString("N1", CultureInfo.InvariantCulture);
        Console.WriteLine($"raft-throughput: 5 replicas, {rate:N0} tx/s offered, {seconds} s virtual");
        Console.WriteLine($"  submitted          {raft.Metrics.Counter("submitted_tx"):N0} tx, committed {raft.Metrics.Counter("committed_tx"):N0} tx, throughput {F(raft.Metrics.Scalars["throughput_tps"])} tx/s");
        Console.WriteLine($"  commit latency     p50 {raft.Metrics.Scalars.GetValueOrDefault("commit_latency_p50_s") * 1000:N1} ms, p99 {raft.Metrics.Scalars.GetValueOrDefault("commit_latency_p99_s") * 1000:N1} ms; leader CPU {raft.Metrics.Scalars["cpu_utilisation_max"]:P0}");
        Console.WriteLine($"  safety violations  {raft.Metrics.Scalars["safety_violations"]}");
        Console.WriteLine($"  wall time          {F(raftWall)} s");
        Console.WriteLine($"  virtual s / wall s {F(seconds / raftWall)} (target ≥ 30)");
        Console.WriteLine($"  events             {raft.Stats.EventsProcessed:N0} ({raft.Stats.EventsProcessed / raftWall:N0} events/s), {raft.Stats.MessagesSent:N0} messages");
        Console.WriteLine($"  peak working set   {peak / 1e6:N0} MB");
        Console.WriteLine($"baseline RandomPing (9 nodes × 20 tokens, same {seconds} s virtual, same process):");
        Console.WriteLine($"  wall {F(pingWall)} s, {ping.Stats.EventsProcessed:N0} events ({ping.Stats.EventsProcessed / pingWall:N0} events/s), virtual s / wall s {F(seconds / pingWall)}");
        Console.WriteLine($"ratio raft/baseline events/s: {(raft.Stats.EventsProcessed / raftWall) / (ping.Stats.EventsProcessed / pingWall):N2}");
        return raft.Metrics.Scalars["safety_violations"] > 0 ? 3 : 0;
    }

    private static (RunResult Result, double WallSeconds, long PeakBytes) Measure(Func<RunResult> run)
    {
        GC.Collect();
        var sw = Stopwatch.StartNew();
        var result = run();
        sw.Stop();
        using var p = Process.GetCurrentProcess();
        return (result, sw.Elapsed.TotalSeconds, p.PeakWorkingSet64);
    }
}
