using Lab.Sim.Distributions;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using Lab.Sim.Workloads;

namespace Lab.Reports.Tests;

/// <summary>Experiment results for the tests: real kernel runs (random gossip) and hand-made metrics.</summary>
internal static class Results
{
    /// <summary>A real gossip run over three regions with a partition of region a from 4 s to 6 s.</summary>
    public static ReplicationResult Gossip(int index, ulong seed, int nodes = 12, int fanout = 3, double seconds = 10)
    {
        var specs = Enumerable.Range(0, nodes)
            .Select(i => new NodeSpec($"n{i}", i % 3, "node", () => new RandomGossip(new GossipOptions { RumoursPerSecond = 2, Fanout = fanout, CpuPerMessage = Duration.FromMicros(200) })))
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
            Jitter = new LogNormal(-6, 1),
        };
        var faults = new[] { new ScheduledFault(SimTime.Zero + Duration.FromSeconds(4), new Partition([new RegionNodes("a")]), Duration.FromSeconds(2)) };
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = SimTime.Zero + Duration.FromSeconds(seconds), SeriesBin = Duration.FromMillis(500) }, net, specs, faults);
        var run = sim.Run();
        return new ReplicationResult
        {
            Index = index,
            Seed = seed,
            Stats = run.Stats,
            Metrics = run.Metrics,
            Nodes = run.Nodes.All.Select(n => (run.Nodes.Name(n), run.Nodes[n].Kind)).ToList(),
        };
    }

    /// <summary>What the gossip model's words mean (as <c>GossipModel.Words</c> declares them).</summary>
    public static readonly IReadOnlyList<MetricWord> GossipWords =
        [new(MetricWord.Throughput, "rumours_heard_per_s"), new(MetricWord.Latency, "rumour_latency_s")];

    /// <summary>A gossip experiment: two variants (fanout 2 and 4) swept over the node count, two replications each.</summary>
    public static ExperimentResult GossipSweep(IReadOnlyList<string>? charts = null)
    {
        var points = new List<PointResult>();
        foreach (var (variant, fanout) in new[] { ("fanout-2", 2), ("fanout-4", 4) })
            foreach (var n in new[] { 6, 12, 24 })
                points.Add(new PointResult
                {
                    Variant = variant,
                    Parameters = [new("chain.nodes", n.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                    Replications = [Gossip(0, 100, n, fanout, 8), Gossip(1, 101, n, fanout, 8)],
                });
        return new ExperimentResult
        {
            Name = "gossip-sweep",
            Description = "Random gossip over three regions; region a is cut off from 4 s to 6 s.",
            Seed = 100,
            SourceYaml = "name: gossip-sweep\nseed: 100\nsweep:\n  chain.nodes: [6, 12, 24]\n",
            ResolvedYaml = "name: gossip-sweep\nseed: 100\nduration: 8s\n",
            SweepAxes = ["chain.nodes"],
            Charts = charts ?? [],
            Words = GossipWords,
            Points = points,
        };
    }

    /// <summary>
    /// Two settlement variants on hand-made metrics: T+1 (about a day) and on-chain (seconds), with
    /// per-member liquidity, an exposure series and a safety finding.
    /// </summary>
    public static ExperimentResult Settlement(int samplesPerRun = 400)
    {
        PointResult Point(string variant, double medianSeconds, double liquidityFactor) => new()
        {
            Variant = variant,
            Parameters = [],
            Replications = Enumerable.Range(0, 3).Select(r =>
            {
                var m = new RunMetrics(Duration.FromHours(1));
                var times = new double[samplesPerRun];
                for (int i = 0; i < samplesPerRun; i++)
                    times[i] = medianSeconds * Math.Exp(((i * 7919 + r * 31) % samplesPerRun / (double)samplesPerRun - 0.5) * 2);
                m.Samples["settlement_time_s"] = times;
                m.Series["exposure_cny"] = Enumerable.Range(0, 48).Select(h => (h % 24) * 1e6 * liquidityFactor).ToArray();
                m.Series["committed_tx"] = Enumerable.Range(0, 48).Select(h => 100.0 + h).ToArray();
                foreach (var member in new[] { "m01", "m02", "m03" })
                {
                    m.Scalars[$"liquidity_needed_gross.{member}"] = 1e6 * (r + 2);
                    m.Scalars[$"liquidity_needed_net.{member}"] = 1e6 * (r + 2) * liquidityFactor;
                }
                m.Counters["trades"] = 1000 + r;
                // The same 40 trades in both variants, executed 10 min apart, settled after the variant's delay.
                m.Samples["trade_start_s"] = [.. Enumerable.Range(0, 40).Select(i => 9 * 3600 + i * 600.0)];
                m.Samples["trade_end_s"] = [.. m.Samples["trade_start_s"].Select((t, i) => t + medianSeconds * (1 + i % 3 * 0.1))];
                if (variant == "on-chain" && r == 1) m.Findings.Add(new Finding(SimTime.Zero + Duration.FromHours(3), "safety_violation", "height 7: n1 committed ab12 at 3h, n4 committed cd34 at 3h"));
                return new ReplicationResult
                {
                    Index = r,
                    Seed = (ulong)(7 + r),
                    Metrics = m,
                    Stats = new RunStats(1000 + r, 500, 64_000, 495, 5, 10, SimTime.Zero + Duration.FromDays(2), StopReason.EndTime,
                        [new FaultWindow(SimTime.Zero + Duration.FromHours(10), SimTime.Zero + Duration.FromHours(12), "crash n1")], [0.25, 0.5]),
                    Nodes = [("n1", "replica"), ("n2", "replica")],
                };
            }).ToList(),
        };
        return new ExperimentResult
        {
            Name = "t1-vs-onchain",
            Description = "The same trades settled T+1 with CCP netting and on-chain with atomic DvP.",
            Seed = 7,
            SourceYaml = "name: t1-vs-onchain\nvariants:\n  t+1: {}\n  on-chain: {}\n",
            ResolvedYaml = "name: t1-vs-onchain\n",
            Words = [new(MetricWord.Settlement, "settlement_time_s")],
            Points = [Point("t+1", 18 * 3600, 0.3), Point("on-chain", 2.1, 1.0)],
        };
    }

    /// <summary>One point whose runs carry exactly the given counter values (for hand-checked statistics).</summary>
    /// <summary>Two trades followed through a T+1 lane and an on-chain lane (hand-made, for the step-through).</summary>
    public static JourneySet Journeys() => new("trade", "America/New_York", ["exchange", "CCP", "settlement bank", "chain replicas"],
    [
        new Journey("Trade 12: broker01 buys from broker02", "Executed on a Friday <afternoon>.",
        [
            new JourneyLane("t+1", [new(100, "Fri 5 Jun 2026, 15:00:00 UTC−4", "Executed", ["exchange"]), new(100.5, "Fri 5 Jun 2026, 15:00:00 UTC−4", "Novated", ["CCP"]),
                new(100 + 3.05 * 86400, "Mon 8 Jun 2026, 16:15:00 UTC−4", "Settled", ["settlement bank", "CCP"])]),
            new JourneyLane("on-chain", [new(100, "Fri 5 Jun 2026, 15:00:00 UTC−4", "Executed", ["exchange"]), new(100.2, "Fri 5 Jun 2026, 15:00:00 UTC−4", "Final", ["chain replicas"])]),
        ]),
        new Journey("Trade 40: broker03 buys from broker01", "",
        [
            new JourneyLane("t+1", [new(5000, "Fri 5 Jun 2026, 16:23:20 UTC−4", "Executed", ["exchange"])]),
            new JourneyLane("on-chain", [new(5000, "Fri 5 Jun 2026, 16:23:20 UTC−4", "Executed", ["exchange"])]),
        ]),
    ]);

    public static ExperimentResult Counters(string metric, params double[] perRun) => new()
    {
        Name = "counters",
        Seed = 1,
        SourceYaml = "",
        ResolvedYaml = "",
        Points =
        [
            new PointResult
            {
                Variant = "only",
                Parameters = [],
                Replications = perRun.Select((v, i) =>
                {
                    var m = new RunMetrics(Duration.FromSeconds(1));
                    m.Counters[metric] = v;
                    return new ReplicationResult { Index = i, Seed = (ulong)i, Metrics = m, Stats = EmptyStats(10) };
                }).ToList(),
            },
        ],
    };

    /// <summary>Metrics of one run with 1 s series bins, filled by hand.</summary>
    public static RunMetrics Metrics(Action<RunMetrics> fill)
    {
        var m = new RunMetrics(Duration.FromSeconds(1));
        fill(m);
        return m;
    }

    public static RunStats EmptyStats(double seconds) =>
        new(0, 0, 0, 0, 0, 0, SimTime.Zero + Duration.FromSeconds(seconds), StopReason.EndTime, [], []);
}
