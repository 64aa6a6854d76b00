using System.Globalization;
using Lab.Consensus.Common;
using Lab.Consensus.Raft;
using Lab.Ledger.Crypto;
using Lab.Sim.Distributions;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Benchmarks;

/// <summary>
/// The Raft paper's Figure 16 measurement (§9.3): five servers, the leader crashed at a uniformly
/// random time within its heartbeat interval (half the minimum election timeout), and the time until
/// a new leader is elected, over many seeds. Network: one-way 5 ms plus an exponential delay of mean
/// 2.5 ms (mean 7.5 ms), so a broadcast round trip takes about 15 ms as in the paper's cluster.
/// Usage: <c>raft-election [runs] [min-max ...]</c>, e.g. <c>raft-election 1000 150-155 150-200 12-24</c>.
/// </summary>
public static class RaftElectionBenchmark
{
    public static int Run(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var ranges = args.Length > 1 ? args[1..] : ["150-155", "150-200", "12-24"];
        Console.WriteLine($"Raft, 5 servers, time from leader crash to new leader, {runs} seeds each; one-way latency 5 ms + exponential(mean 2.5 ms)");
        foreach (var range in ranges)
        {
            var parts = range.Split('-');
            var min = Duration.FromMillis(double.Parse(parts[0], CultureInfo.InvariantCulture));
            var max = Duration.FromMillis(double.Parse(parts[1], CultureInfo.InvariantCulture));
            var times = Enumerable.Range(0, runs).Select(k => TimeToNewLeader(min, max, (ulong)(1 + k))).ToArray();
            Array.Sort(times);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  election timeout {range,-8} ms: mean {times.Average() * 1000,7:F1} ms  p50 {Quantile.OfSorted(times, 0.5) * 1000,7:F1}  p99 {Quantile.OfSorted(times, 0.99) * 1000,7:F1}  max {times[^1] * 1000,7:F1}"));
        }
        return 0;
    }

    private static double TimeToNewLeader(Duration min, Duration max, ulong seed)
    {
        var heartbeat = min / 2;
        var servers = Enumerable.Range(0, 5).Select(i => new NodeId(i)).ToList();
        var options = new RaftOptions { ElectionTimeoutMin = min, ElectionTimeoutMax = max, Heartbeat = heartbeat };
        var chain = new ChainOptions { Nodes = 5, Signing = TransactionSigning.Free };
        var nodes = servers.Select(s => new NodeSpec($"n{s.Value}", 0, "replica", () => new RaftReplica(options, chain, servers))).ToList();
        var network = new NetworkSpec { BaseLatency = [[Duration.FromMillis(5)]], Jitter = new Exponential(0.0025) };
        static bool Leading(ISimulationView v, NodeId n) => v.StateOf(n) == NodeState.Up && v.BehaviourOf(n) is RaftReplica { Role: RaftRole.Leader };

        // From 2 s on, once a second, the first chance that finds exactly one leader crashes it (the
        // phase within the heartbeat interval is drawn per seed).
        var phase = Duration.FromNanos(SimRandom.Stream(seed, "crash-phase").NextInt64(0, heartbeat.Nanos));
        SimTime? crashedAt = null;
        var chances = Enumerable.Range(0, 30).Select(c => new ScheduledFault(SimTime.Zero + Duration.FromSeconds(2 + c) + phase,
            new Crash(new DynamicNodes("the leader", v =>
            {
                if (crashedAt is not null) return [];
                var leaders = v.Directory.All.Where(n => Leading(v, n)).ToList();
                if (leaders.Count != 1) return [];
                crashedAt = v.Now;
                return leaders;
            })))).ToList();
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = SimTime.Zero + Duration.FromSeconds(120) }, network, nodes, chances)
        {
            StopWhen = v => crashedAt is { } c && v.Now > c && v.Directory.All.Any(n => Leading(v, n)),
        };
        var r = sim.Run();
        if (crashedAt is not { } at) throw new InvalidOperationException($"seed {seed}: no stable leader to crash");
        var next = r.Metrics.Findings.FirstOrDefault(f => f.Kind == "leader" && f.At > at && f.Text.Contains(" leads term"))
            ?? throw new InvalidOperationException($"seed {seed}: no leader within 120 s");
        return (next.At - at).TotalSeconds;
    }
}
