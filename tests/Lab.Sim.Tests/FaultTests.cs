using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using static Lab.Sim.Tests.World;

namespace Lab.Sim.Tests;

public class FaultTests
{
    private static readonly NetworkSpec Net = NetworkSpec.Constant(Ms(10));

    /// <summary>Every node sends "tick" to every other node every 100 ms.</summary>
    private static void Chatter(int n, int i, Probe p, double seconds = 10)
    {
        for (int k = 1; k < seconds * 10; k++)
        {
            var at = Ms(100 * k);
            p.Script.Add((at, ctx => { for (int j = 0; j < n; j++) if (j != i) ctx.Send(new NodeId(j), at, 10); }));
        }
    }

    [Fact]
    public void A_partition_drops_cross_group_traffic_and_heal_restores_it()
    {
        var faults = new[] { new ScheduledFault(T(2), new Partition([NodeSelector.Named("n0", "n1"), NodeSelector.Named("n2", "n3")]), Duration.FromSeconds(3)) };
        var (sim, probes) = Of(4, Net, (i, p) => Chatter(4, i, p), faults: faults);
        var r = sim.Run();
        bool Heard(int at, int from, double t0, double t1) =>
            probes[at][0].Received.Any(x => x.From.Value == from && x.At > T(t0) && x.At < T(t1));
        Assert.True(Heard(0, 1, 2.1, 4.9));   // same group keeps talking
        Assert.False(Heard(0, 2, 2.05, 5));   // across groups: nothing during the partition
        Assert.True(Heard(0, 2, 5.1, 9.9));   // healed
        Assert.True(r.Stats.MessagesDropped > 0);
        var w = Assert.Single(r.Stats.Faults);
        Assert.Equal((T(2), T(5)), (w.Start, w.End!.Value));
        Assert.Contains("n0, n1 | n2, n3", w.Description);
    }

    [Fact]
    public void Unlisted_nodes_of_another_kind_reach_both_sides_of_a_partition_and_unlisted_peers_form_a_group()
    {
        var probes = Enumerable.Range(0, 5).Select(_ => new Probe()).ToArray();
        var nodes = Enumerable.Range(0, 5).Select(i => new NodeSpec(i < 4 ? $"n{i}" : "client", 0, i < 4 ? "replica" : "client", () =>
        {
            Chatter(5, i, probes[i]);
            return probes[i];
        })).ToList();
        var faults = new[] { new ScheduledFault(T(2), new Partition([NodeSelector.Named("n0", "n1")])) };
        new Simulation(new SimulationOptions { Seed = 1, EndTime = T(5) }, Net, nodes, faults).Run();
        bool Heard(int at, int from) => probes[at].Received.Any(x => x.From.Value == from && x.At > T(2.05));
        Assert.True(Heard(4, 0) && Heard(4, 3) && Heard(0, 4) && Heard(3, 4)); // the client reaches both sides
        Assert.True(Heard(2, 3));                                            // n2, n3: the unlisted group
        Assert.False(Heard(0, 2) || Heard(2, 0));
    }

    [Fact]
    public void A_cut_silences_links_among_the_listed_nodes_only()
    {
        var faults = new[] { new ScheduledFault(T(1), new Cut(NodeSelector.Named("n2", "n3"))) };
        var (sim, probes) = Of(4, Net, (i, p) => Chatter(4, i, p), faults: faults);
        sim.Run();
        Assert.DoesNotContain(probes[2][0].Received, x => x.From.Value == 3 && x.At > T(1.05));
        Assert.Contains(probes[2][0].Received, x => x.From.Value == 0 && x.At > T(1.05));
    }

    [Fact]
    public void A_crash_silences_the_node_and_cancels_its_timers()
    {
        var faults = new[] { new ScheduledFault(T(3), new Crash(NodeSelector.Named("n1"))) };
        var (sim, probes) = Of(3, Net, (i, p) => Chatter(3, i, p), faults: faults);
        var r = sim.Run();
        var n1 = Assert.Single(probes[1]);
        Assert.DoesNotContain(n1.Fired, f => f.At >= T(3));        // timers cancelled
        Assert.DoesNotContain(n1.Received, x => x.At >= T(3));     // nothing processed
        Assert.DoesNotContain(probes[0][0].Received, x => x.From.Value == 1 && x.At > T(3) + Ms(10));
        Assert.Equal(NodeState.Down, StateAfter(r, sim, 1));
    }

    private static NodeState StateAfter(RunResult _, Simulation sim, int node) => sim.StateOf(new NodeId(node));

    [Fact]
    public void A_restart_keeps_only_durable_state()
    {
        var faults = new[]
        {
            new ScheduledFault(T(1), new Crash(NodeSelector.Named("n0"))),
            new ScheduledFault(T(2), new Restart(new CrashedNodes())),
        };
        int volatileSeen = -1, durableSeen = -1;
        var (sim, probes) = Of(2, Net, (i, p) =>
        {
            if (i != 0) return;
            p.Script.Add((Ms(500), ctx => { ctx.Storage.Put("term", 7); }));
            p.Script.Add((Ms(10), ctx =>
            {
                durableSeen = ctx.Storage.TryGet<int>("term", out var t) ? t : 0;
                volatileSeen = p.Starts;
            }));
        }, faults: faults);
        sim.Run();
        Assert.Equal(2, probes[0].Count);          // a fresh behaviour after the restart
        Assert.Equal(1, probes[0][1].Starts);      // ... which knows nothing volatile
        Assert.Equal(7, durableSeen);              // ... but reads the durable term (its 10 ms timer ran at 2.01 s)
        Assert.Equal(1, volatileSeen);
    }

    [Fact]
    public void A_timed_crash_restarts_the_node_it_crashed_even_when_the_selector_would_now_pick_another()
    {
        // "The node with the lowest index that is up": n0 at the crash, n1 when the crash ends.
        var firstUp = new DynamicNodes("first up", v => v.Directory.All.Where(n => v.StateOf(n) == NodeState.Up).Take(1).ToList());
        var faults = new[] { new ScheduledFault(T(1), new Crash(firstUp), Duration.FromSeconds(2)) };
        var (sim, probes) = Of(3, Net, faults: faults);
        var r = sim.Run();
        Assert.Equal(2, probes[0].Count);                     // n0 crashed and came back as a fresh behaviour
        Assert.Single(probes[1]);                             // n1 was never touched
        Assert.All(new[] { 0, 1, 2 }, i => Assert.Equal(NodeState.Up, sim.StateOf(new NodeId(i))));
        var w = Assert.Single(r.Stats.Faults);
        Assert.Equal((T(1), T(3)), (w.Start, w.End!.Value));
    }

    [Fact]
    public void A_restart_without_its_disk_loses_durable_state_too()
    {
        var faults = new[]
        {
            new ScheduledFault(T(1), new Crash(NodeSelector.Named("n0"))),
            new ScheduledFault(T(2), new Restart(NodeSelector.Named("n0"), LoseDisk: true)),
        };
        bool? found = null;
        var (sim, _) = Of(2, Net, (i, p) =>
        {
            if (i != 0) return;
            p.Script.Add((Ms(500), ctx => ctx.Storage.Put("term", 7)));
            p.Script.Add((Ms(10), ctx => found = ctx.Storage.TryGet<int>("term", out _)));
        }, faults: faults);
        sim.Run();
        Assert.False(found);
    }

    [Fact]
    public void A_pause_queues_incoming_messages_and_releases_them_on_resume()
    {
        var faults = new[] { new ScheduledFault(T(1), new Pause(NodeSelector.Named("n1")), Duration.FromSeconds(2)) };
        var (sim, probes) = Of(2, Net, (i, p) => Chatter(2, i, p, 5), faults: faults);
        sim.Run();
        var got = probes[1][0].Received;
        Assert.DoesNotContain(got, x => x.At > T(1) && x.At < T(3));
        // Everything sent to it during the pause is handled at the resume instant, in order.
        var atResume = got.Where(x => x.At == T(3)).Select(x => (Duration)x.Message).ToList();
        Assert.True(atResume.Count >= 19, $"{atResume.Count} queued messages released");
        Assert.Equal(atResume.Order(), atResume);
        Assert.Single(probes[1]); // same behaviour: a pause is not a restart
    }

    [Fact]
    public void Faults_with_a_fraction_pick_the_same_nodes_for_the_same_seed()
    {
        IReadOnlyList<string> Crashed(ulong seed)
        {
            var nodes = Enumerable.Range(0, 20).Select(i => new NodeSpec($"n{i}", 0, "node", () => new Probe())).ToList();
            var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = T(1) }, Net, nodes,
                [new ScheduledFault(T(0.5), new Crash(new FractionOfNodes(0.25)))]);
            sim.Run();
            return nodes.Where((_, i) => sim.StateOf(new NodeId(i)) == NodeState.Down).Select(n => n.Name).ToList();
        }
        Assert.Equal(5, Crashed(1).Count);
        Assert.Equal(Crashed(1), Crashed(1));
        Assert.NotEqual(Crashed(1), Crashed(2));
    }

    [Fact]
    public void A_latency_spike_multiplies_delay_for_its_duration()
    {
        var faults = new[] { new ScheduledFault(T(1), new LatencySpike(5), Duration.FromSeconds(1)) };
        var (sim, probes) = Of(2, Net, (i, p) =>
        {
            if (i == 0) foreach (var s in new[] { 0.5, 1.5, 2.5 }) { var at = Duration.FromSeconds(s); p.Script.Add((at, ctx => ctx.Send(new NodeId(1), at, 10))); }
        }, faults: faults);
        sim.Run();
        var delays = probes[1][0].Received.Select(x => (x.At - (SimTime.Zero + (Duration)x.Message)).TotalMilliseconds).ToArray();
        Assert.Equal([10.0, 50.0, 10.0], delays);
    }
}
