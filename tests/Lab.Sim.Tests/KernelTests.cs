using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using static Lab.Sim.Tests.World;

namespace Lab.Sim.Tests;

public class KernelTests
{
    [Fact]
    public void Zero_lookahead_still_runs_correctly_one_timestamp_per_window()
    {
        var net = new NetworkSpec { Jitter = new Lab.Sim.Distributions.Exponential(0.002) };
        Assert.Equal(Duration.Zero, net.MinimumLatency);
        string Run(ExecutionMode mode)
        {
            var nodes = Enumerable.Range(0, 16).Select(i => new NodeSpec($"n{i}", 0, "node", () => new Lab.Sim.Workloads.RandomPing(2, Duration.Zero))).ToList();
            var r = new Simulation(new SimulationOptions { Seed = 3, EndTime = T(1), Mode = mode }, net, nodes).Run();
            Assert.True(r.Stats.EventsProcessed > 1000);
            return $"{r.Stats.EventsProcessed}/{r.Stats.MessagesDelivered}/{r.Metrics.Counter("pings")}";
        }
        Assert.Equal(Run(ExecutionMode.Sequential), Run(ExecutionMode.Actors));
    }

    [Fact]
    public void A_run_stops_at_max_events()
    {
        var nodes = Enumerable.Range(0, 4).Select(i => new NodeSpec($"n{i}", 0, "node", () => new Lab.Sim.Workloads.RandomPing(1, Duration.Zero))).ToList();
        var r = new Simulation(new SimulationOptions { Seed = 1, MaxEvents = 1000 }, NetworkSpec.Constant(Ms(1)), nodes).Run();
        Assert.Equal(StopReason.MaxEvents, r.Stats.StoppedBy);
        Assert.InRange(r.Stats.EventsProcessed, 1000, 1004); // stops at the first window boundary past the limit
    }

    [Fact]
    public void A_run_stops_when_its_predicate_holds()
    {
        var nodes = Enumerable.Range(0, 4).Select(i => new NodeSpec($"n{i}", 0, "node", () => new Lab.Sim.Workloads.RandomPing(1, Duration.Zero))).ToList();
        var sim = new Simulation(new SimulationOptions { Seed = 1, EndTime = T(100) }, NetworkSpec.Constant(Ms(1)), nodes)
        {
            StopWhen = v => v.Now >= T(2.5),
        };
        var r = sim.Run();
        Assert.Equal(StopReason.Predicate, r.Stats.StoppedBy);
        Assert.Equal(T(2.5), r.Stats.FinalTime);
    }

    [Fact]
    public void A_run_reports_its_counts_and_final_time()
    {
        var nodes = Enumerable.Range(0, 4).Select(i => new NodeSpec($"n{i}", 0, "node", () => new Lab.Sim.Workloads.RandomPing(1, Duration.Zero))).ToList();
        var r = new Simulation(new SimulationOptions { Seed = 1, EndTime = T(1) }, NetworkSpec.Constant(Ms(10)), nodes).Run();
        // 4 tokens, each hop 10 ms: 4 sends at t=0, then 4 per 10 ms until 1 s.
        Assert.Equal(StopReason.EndTime, r.Stats.StoppedBy);
        Assert.Equal(T(1), r.Stats.FinalTime);
        Assert.Equal(4 * 99, r.Stats.MessagesDelivered);
        Assert.Equal(4 * 100, r.Stats.MessagesSent);
        Assert.Equal(r.Stats.MessagesDelivered, r.Stats.EventsProcessed);
    }

    [Fact]
    public void Adding_a_node_does_not_change_another_nodes_random_draws()
    {
        double FirstDraw(int nodeCount)
        {
            double draw = -1;
            var nodes = Enumerable.Range(0, nodeCount).Select(i => new NodeSpec($"n{i}", 0, "node", () =>
            {
                var p = new Probe();
                if (i == 2) p.Script.Add((Ms(1), ctx => draw = ctx.Random.NextDouble()));
                return p;
            })).ToList();
            new Simulation(new SimulationOptions { Seed = 9, EndTime = T(1) }, NetworkSpec.Constant(Ms(1)), nodes).Run();
            return draw;
        }
        Assert.Equal(FirstDraw(3), FirstDraw(30));
    }

    /// <summary>A distribution that lies about its minimum: claims 10 ms, delivers 1 ms.</summary>
    private sealed record LyingDelay : Lab.Sim.Distributions.Distribution
    {
        public override double Sample(Lab.Sim.Randomness.SimRandom rng) => 0.001;
        public override double Minimum => 0.010;
        public override double Mean => 0.001;
        public override double Cdf(double x) => x >= 0.001 ? 1 : 0;
    }

    [Fact]
    public void A_message_that_would_arrive_inside_the_current_window_is_refused_loudly()
    {
        var nodes = Enumerable.Range(0, 2).Select(i => new NodeSpec($"n{i}", 0, "node", () => new Lab.Sim.Workloads.RandomPing(1, Duration.Zero))).ToList();
        var sim = new Simulation(new SimulationOptions { Seed = 1, EndTime = T(1) }, new NetworkSpec { Jitter = new LyingDelay() }, nodes);
        var e = Assert.Throws<InvalidOperationException>(() => sim.Run());
        Assert.Contains("inside the current window", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkConditions(2).SetLatencyFactor(0.5));
    }
}
