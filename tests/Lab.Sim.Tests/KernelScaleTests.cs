using Lab.Sim.Distributions;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using Lab.Sim.Workloads;

namespace Lab.Sim.Tests;

/// <summary>The kernel's per-window machinery (mailroom, batched actor windows, link tables) changes no result.</summary>
public class KernelScaleTests
{
    private static Simulation Ping(int nodes, ExecutionMode mode, long parallelMinEvents = 256, bool fifo = true, int? threads = null,
                                   IEnumerable<ScheduledFault>? faults = null) =>
        new(new SimulationOptions { Seed = 3, MaxEvents = 60_000, Mode = mode, ParallelMinEvents = parallelMinEvents, Threads = threads },
            new NetworkSpec { BaseLatency = [[Duration.FromMillis(1)]], Jitter = new Uniform(0, 0.002), Fifo = fifo },
            Enumerable.Range(0, nodes).Select(i => new NodeSpec($"n{i}", 0, "node", () => new RandomPing(4, Duration.FromMicros(3)))).ToList(),
            faults);

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Several_workers_delivering_by_destination_range_give_the_same_run(int threads)
    {
        // More threads than this machine may have cores: every window on the workers, each delivering its own
        // destination ranges, with crashes (messages to a down node dropped at delivery) and a restart.
        ScheduledFault[] Faults() =>
        [
            new(SimTime.Zero + Duration.FromMillis(5), new Crash(NodeSelector.Named("n3", "n40", "n99"))),
            new(SimTime.Zero + Duration.FromMillis(9), new Restart(NodeSelector.Named("n40"))),
        ];
        var reference = DeterminismTests.Fingerprint(Ping(200, ExecutionMode.Sequential, faults: Faults()).Run());
        Assert.Equal(reference, DeterminismTests.Fingerprint(Ping(200, ExecutionMode.Actors, parallelMinEvents: 0, threads: threads, faults: Faults()).Run()));
        Assert.Equal(reference, DeterminismTests.Fingerprint(Ping(200, ExecutionMode.Actors, parallelMinEvents: 0, threads: threads, faults: Faults()).Run()));
        // The faults change the run, so the comparison above can fail.
        Assert.NotEqual(reference, DeterminismTests.Fingerprint(Ping(200, ExecutionMode.Sequential).Run()));
    }

    [Fact]
    public void Gossip_with_bandwidth_gives_the_same_run_on_three_threads()
    {
        var seq = DeterminismTests.Fingerprint(DeterminismTests.Gossip64(ExecutionMode.Sequential, seconds: 2).Run());
        Assert.Equal(seq, DeterminismTests.Fingerprint(DeterminismTests.Gossip64(ExecutionMode.Actors, seconds: 2, parallelMinEvents: 0, threads: 3).Run()));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1_500)]
    public void Every_executor_and_window_size_gives_the_same_run(int nodes)
    {
        var reference = DeterminismTests.Fingerprint(Ping(nodes, ExecutionMode.Sequential).Run());
        // Every window on the workers, then the default (small windows inline), twice each.
        Assert.Equal(reference, DeterminismTests.Fingerprint(Ping(nodes, ExecutionMode.Actors, parallelMinEvents: 0).Run()));
        Assert.Equal(reference, DeterminismTests.Fingerprint(Ping(nodes, ExecutionMode.Actors, parallelMinEvents: 0).Run()));
        Assert.Equal(reference, DeterminismTests.Fingerprint(Ping(nodes, ExecutionMode.Actors).Run()));
    }

    [Fact]
    public void Gossip_with_bandwidth_gives_the_same_run_with_every_window_on_the_workers()
    {
        var seq = DeterminismTests.Fingerprint(DeterminismTests.Gossip64(ExecutionMode.Sequential).Run());
        var sim = DeterminismTests.Gossip64(ExecutionMode.Actors, parallelMinEvents: 0);
        Assert.Equal(seq, DeterminismTests.Fingerprint(sim.Run()));
    }

    [Fact]
    public void The_fingerprint_sees_a_changed_network()
    {
        // The comparisons above can fail: without FIFO the same seed gives another run.
        Assert.NotEqual(DeterminismTests.Fingerprint(Ping(64, ExecutionMode.Sequential).Run()),
                        DeterminismTests.Fingerprint(Ping(64, ExecutionMode.Sequential, fifo: false).Run()));
    }

    [Fact]
    public void A_link_table_keeps_live_links_and_forgets_only_finished_ones()
    {
        var table = new LinkTable(canForget: true);
        var t0 = SimTime.Zero + Duration.FromSeconds(1);
        // 200 links with a message in flight until t0 + 1 s: all must survive any rebuild before then.
        for (int to = 0; to < 200; to++) table.Get(to, t0).LastLastBit = t0 + Duration.FromSeconds(1) + Duration.FromNanos(to);
        for (int to = 0; to < 200; to++) Assert.Equal(t0 + Duration.FromSeconds(1) + Duration.FromNanos(to), table.Get(to, t0).LastLastBit);
        // After they land, new links may take their places; an old one reads as fresh or as it was, never as another link's.
        var later = t0 + Duration.FromSeconds(5);
        for (int to = 1000; to < 1400; to++) table.Get(to, later).LastFirstBit = later + Duration.FromMillis(1);
        Assert.True(table.Count < 600, $"finished links were not forgotten ({table.Count} kept)");
        for (int to = 0; to < 200; to++)
        {
            var s = table.Get(to, later);
            Assert.True(s.LastLastBit == SimTime.Zero || s.LastLastBit == t0 + Duration.FromSeconds(1) + Duration.FromNanos(to));
        }
        for (int to = 1000; to < 1400; to++) Assert.Equal(later + Duration.FromMillis(1), table.Get(to, later).LastFirstBit);
    }

    [Fact]
    public void A_link_table_that_may_not_forget_keeps_every_link()
    {
        var table = new LinkTable(canForget: false);
        for (int to = 0; to < 500; to++) table.Get(to, SimTime.Zero).CapFreeAt = SimTime.Zero + Duration.FromNanos(to + 1);
        var later = SimTime.Zero + Duration.FromSeconds(10);
        for (int to = 0; to < 500; to++) Assert.Equal(SimTime.Zero + Duration.FromNanos(to + 1), table.Get(to, later).CapFreeAt);
        Assert.Equal(500, table.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_link_table_deleting_finished_links_on_the_way_agrees_with_a_plain_map(int seed)
    {
        // Random sends to 300 peers while time advances: every lookup must give the link's last state, or a fresh
        // one once that state is all in the past (forgetting it then changes nothing); never another link's.
        var rng = new Random(seed);
        var table = new LinkTable(canForget: true);
        var model = new Dictionary<int, LinkState>();
        var now = SimTime.Zero;
        int maxLive = 0;
        for (int step = 0; step < 50_000; step++)
        {
            if (rng.Next(4) == 0) now += Duration.FromMicros(rng.Next(1, 200));
            var to = rng.Next(300);
            ref var state = ref table.Get(to, now);
            if (model.TryGetValue(to, out var expected))
            {
                bool finished = expected.CapFreeAt <= now && expected.LastFirstBit <= now && expected.LastLastBit <= now;
                if (!(finished && state.Equals(default(LinkState))))
                    Assert.Equal(expected, state);
            }
            else Assert.Equal(default, state);
            // A message in flight on this link for up to 3 ms.
            var first = now + Duration.FromMicros(rng.Next(0, 1500));
            state.LastFirstBit = first;
            state.LastLastBit = first + Duration.FromMicros(rng.Next(0, 1500));
            if (rng.Next(8) == 0) state.CapFreeAt = now + Duration.FromMicros(rng.Next(0, 3000));
            model[to] = state;
            maxLive = Math.Max(maxLive, model.Values.Count(s => s.CapFreeAt > now || s.LastFirstBit > now || s.LastLastBit > now));
            if (step % 1000 == 999) Assert.True(table.Count <= 3 * maxLive + 8, $"{table.Count} links kept, at most {maxLive} live");
        }
    }
}
