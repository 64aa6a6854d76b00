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
/// a new leader is elected, over many seeds. The paper's cluster had a broadcast time of about 15 ms;
/// by default all of it is network (one-way 5 ms plus an exponential delay of mean 2.5 ms, no disk).
/// Where those 15 ms are spent decides how often votes split (a second server that times out before
/// the first candidate's RequestVote reaches it splits the vote), so the one-way latency, its
/// exponential jitter and a write to stable storage before acting on a term or vote change (§5.6) are
/// options. Simplified from the paper: equal logs (the paper gave servers different log lengths) and
/// no extra synchronised heartbeat right before the crash.
/// Usage: <c>raft-election [runs] [min-max ...] [--one-way MS] [--jitter MS] [--disk-write MS] [--reset-on-higher-term]</c>,
/// e.g. <c>raft-election 1000 150-155 150-200 12-24</c>; <c>--reset-on-higher-term</c> selects etcd's
/// timer reset on stepping down to a higher term (<see cref="RaftOptions.ResetTimerOnHigherTerm"/>;
/// default Figure 2's rules). A seed whose cluster never holds a stable leader to crash is counted, not timed.
/// </summary>
public static class RaftElectionBenchmark
{
    private sealed record Setup(Duration OneWay, double JitterMeanSeconds, Duration DiskWrite, bool ResetOnHigherTerm);

    public static int Run(string[] args)
    {
        double oneWayMs = 5, jitterMs = 2.5, diskMs = 0;
        var reset = false;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--one-way": oneWayMs = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--jitter": jitterMs = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--disk-write": diskMs = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--reset-on-higher-term": reset = true; break;
                default: rest.Add(args[i]); break;
            }
        }
        args = [.. rest];
        var setup = new Setup(Duration.FromMillis(oneWayMs), jitterMs / 1000, Duration.FromMillis(diskMs), reset);
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var ranges = args.Length > 1 ? args[1..] : ["150-155", "150-200", "12-24"];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Raft, 5 servers, time from leader crash to new leader, {runs} seeds each; one-way latency {setup.OneWay.TotalSeconds * 1000} ms + exponential(mean {setup.JitterMeanSeconds * 1000} ms), disk write {setup.DiskWrite.TotalSeconds * 1000} ms")
            + (setup.ResetOnHigherTerm ? "; timer reset on a higher term (etcd)" : ""));
        foreach (var range in ranges)
        {
            var parts = range.Split('-');
            var min = Duration.FromMillis(double.Parse(parts[0], CultureInfo.InvariantCulture));
            var max = Duration.FromMillis(double.Parse(parts[1], CultureInfo.InvariantCulture));
            var all = Enumerable.Range(0, runs).Select(k => TimeToNewLeader(min, max, setup, (ulong)(1 + k))).ToArray();
            var times = all.Where(t => !double.IsNaN(t)).ToArray();
            Array.Sort(times);
            var unstable = all.Length - times.Length;
            Console.WriteLine(times.Length == 0
                ? $"  election timeout {range,-8} ms: no stable leader to crash in any seed"
                : string.Create(CultureInfo.InvariantCulture,
                    $"  election timeout {range,-8} ms: mean {times.Average() * 1000,7:F1} ms  p50 {Quantile.OfSorted(times, 0.5) * 1000,7:F1}  p99 {Quantile.OfSorted(times, 0.99) * 1000,7:F1}  max {times[^1] * 1000,7:F1}")
                  + (unstable > 0 ? $"  ({unstable} seeds without a stable leader to crash)" : ""));
        }
        return 0;
    }

    private static double TimeToNewLeader(Duration min, Duration max, Setup setup, ulong seed)
    {
        var heartbeat = min / 2;
        var servers = Enumerable.Range(0, 5).Select(i => new NodeId(i)).ToList();
        var options = new RaftOptions { ElectionTimeoutMin = min, ElectionTimeoutMax = max, Heartbeat = heartbeat, DiskWrite = setup.DiskWrite, ResetTimerOnHigherTerm = setup.ResetOnHigherTerm };
        var chain = new ChainOptions { Nodes = 5, Signing = TransactionSigning.Free };
        var nodes = servers.Select(s => new NodeSpec($"n{s.Value}", 0, "replica", () => new RaftReplica(options, chain, servers))).ToList();
        var network = new NetworkSpec { BaseLatency = [[setup.OneWay]], Jitter = new Exponential(setup.JitterMeanSeconds) };
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
        if (crashedAt is not { } at) return double.NaN;     // leaders kept changing: Raft's timing requirement is not met
        var next = r.Metrics.Findings.FirstOrDefault(f => f.Kind == "leader" && f.At > at && f.Text.Contains(" leads term"))
            ?? throw new InvalidOperationException($"seed {seed}: no leader within 120 s");
        return (next.At - at).TotalSeconds;
    }
}
