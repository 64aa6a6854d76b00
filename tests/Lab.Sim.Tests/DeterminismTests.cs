using System.Security.Cryptography;
using System.Text;
using Lab.Sim.Distributions;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using Lab.Sim.Workloads;

namespace Lab.Sim.Tests;

public class DeterminismTests
{
    internal static Simulation Gossip64(ExecutionMode mode, ulong seed = 11, double seconds = 5, long parallelMinEvents = 256, int? threads = null,
        Func<SimulationOptions, SimulationOptions>? options = null, Func<NetworkSpec, NetworkSpec>? network = null)
    {
        var nodes = Enumerable.Range(0, 64)
            .Select(i => new NodeSpec($"n{i}", i % 3, "node", () => new RandomGossip(new GossipOptions { RumoursPerSecond = 5, Fanout = 3, CpuPerMessage = Duration.FromMicros(50) })))
            .ToList();
        var net = new NetworkSpec
        {
            Regions = ["a", "b", "c"],
            BaseLatency =
            [
                [Duration.FromMillis(2), Duration.FromMillis(20), Duration.FromMillis(40)],
                [Duration.FromMillis(20), Duration.FromMillis(2), Duration.FromMillis(30)],
                [Duration.FromMillis(40), Duration.FromMillis(30), Duration.FromMillis(2)],
            ],
            Jitter = new LogNormal(-7, 1), // seconds: a few ms of extra delay, heavy tail
            Upload = [Bandwidth.Mbps(100), Bandwidth.Mbps(50), Bandwidth.Mbps(20)],
            Download = [Bandwidth.Mbps(100), Bandwidth.Mbps(50), Bandwidth.Mbps(20)],
        };
        var o = new SimulationOptions { Seed = seed, EndTime = new SimTime(0) + Duration.FromSeconds(seconds), Mode = mode, ParallelMinEvents = parallelMinEvents, Threads = threads };
        return new Simulation(options?.Invoke(o) ?? o, network?.Invoke(net) ?? net, nodes);
    }

    internal static string Fingerprint(RunResult r)
    {
        var sb = new StringBuilder();
        sb.Append($"{r.Stats.TraceHash:x16} {r.Stats.EventsProcessed} {r.Stats.MessagesSent} {r.Stats.MessagesDelivered} {r.Stats.MessagesDropped} {r.Stats.FinalTime.Nanos}\n");
        foreach (var (k, v) in r.Metrics.Counters) sb.Append($"{k}={v:R}\n");
        foreach (var (k, v) in r.Metrics.Samples) sb.Append($"{k}:{string.Join(",", v.Select(x => x.ToString("R")))}\n");
        foreach (var (k, v) in r.Metrics.Series) sb.Append($"{k}:{string.Join(",", v.Select(x => x.ToString("R")))}\n");
        foreach (var c in r.Stats.CpuUtilisation) sb.Append(c.ToString("R")).Append(',');
        foreach (var u in r.Stats.Nic) sb.Append(u).Append(',');
        foreach (var (k, v) in r.Metrics.Scalars) sb.Append($"{k}={v:R}\n");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    [Fact]
    public void Sequential_and_actor_executions_give_identical_results_twice_each()
    {
        var seq1 = Fingerprint(Gossip64(ExecutionMode.Sequential).Run());
        var seq2 = Fingerprint(Gossip64(ExecutionMode.Sequential).Run());
        var act1 = Fingerprint(Gossip64(ExecutionMode.Actors).Run());
        var act2 = Fingerprint(Gossip64(ExecutionMode.Actors).Run());
        Assert.Equal(seq1, seq2);
        Assert.Equal(seq1, act1);
        Assert.Equal(seq1, act2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // jitter as a lognormal factor: lookahead 0, about one event per window
    public void Grouped_or_straight_delivery_give_identical_results(bool zeroLookahead)
    {
        string Run(int groupAbove)
        {
            var sim = Gossip64(ExecutionMode.Sequential, seconds: 2, options: o => o with { GroupDeliveriesAbove = groupAbove },
                network: zeroLookahead ? n => n with { Jitter = null, JitterFactor = new LogNormal(0, 0.2) } : null);
            Assert.Equal(zeroLookahead, sim.Lookahead == Duration.Zero);
            return Fingerprint(sim.Run());
        }
        Assert.Equal(Run(groupAbove: 0), Run(groupAbove: 512));   // grouped as with thousands of nodes, or straight
    }

    [Fact]
    public void A_different_seed_gives_a_different_run()
    {
        Assert.NotEqual(Fingerprint(Gossip64(ExecutionMode.Sequential, seed: 1).Run()),
                        Fingerprint(Gossip64(ExecutionMode.Sequential, seed: 2).Run()));
    }

    [Fact]
    public void Gossip_reaches_every_node_and_records_latencies()
    {
        var r = Gossip64(ExecutionMode.Sequential).Run();
        Assert.True(r.Stats.EventsProcessed > 10_000, $"only {r.Stats.EventsProcessed} events");
        Assert.True(r.Metrics.Samples["rumour_latency_s"].Length > 1000);
        Assert.All(r.Metrics.Samples["rumour_latency_s"], x => Assert.True(x >= 0.002));
    }
}
