using System.Text;
using Lab.Consensus.Byzantine;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Byzantine;

public class BftDeterminismTests
{
    private static string Fingerprint(string protocol, ExecutionMode mode, ulong seed)
    {
        var network = new NetworkSpec { Jitter = new Lab.Sim.Distributions.Uniform(0.005, 0.015) };
        var world = ByzantineToleranceTests.World(protocol, [new ByzantineSpec(1, ByzantineBehaviour.DoubleVote)], stopAt: 3, network);
        var faults = RandomFaults.Schedule(seed, 4, 1, twin: false, faultsEnd: 2);
        var sim = new Simulation(new SimulationOptions { Seed = seed, EndTime = SimTime.Zero + Duration.FromSeconds(4), Mode = mode }, network, world.Nodes, faults);
        world.Attach(sim);
        var r = sim.Run();
        world.Complete(r);
        var sb = new StringBuilder();
        sb.Append($"{r.Stats.EventsProcessed} {r.Stats.MessagesSent} {r.Stats.MessagesDropped}\n");
        foreach (var (k, v) in r.Metrics.Counters) sb.Append($"{k}={v:R}\n");
        foreach (var (k, v) in r.Metrics.Samples) sb.Append($"{k}:{string.Join(",", v.Select(x => x.ToString("R")))}\n");
        foreach (var (k, v) in r.Metrics.Scalars) sb.Append($"{k}={v:R}\n");
        return sb.ToString();
    }

    [Theory]
    [InlineData("pbft")]
    [InlineData("hotstuff")]
    public void Same_seed_gives_identical_runs_in_sequential_and_actor_execution(string protocol)
    {
        var a = Fingerprint(protocol, ExecutionMode.Sequential, 5);
        Assert.Equal(a, Fingerprint(protocol, ExecutionMode.Sequential, 5));
        Assert.Equal(a, Fingerprint(protocol, ExecutionMode.Actors, 5));
        Assert.NotEqual(a, Fingerprint(protocol, ExecutionMode.Sequential, 6));
    }
}
