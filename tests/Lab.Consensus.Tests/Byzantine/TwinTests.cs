using Lab.Consensus.Byzantine;
using Lab.Sim.Faults;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Byzantine;

/// <summary>
/// Twins (Bano et al. 2020): replica 0 runs as two nodes, n0 and n0-twin, with one identity and key.
/// Each twin is honest on its own; together they are one equivocating replica. The partition puts
/// each twin with a different half of the honest replicas, so each side can see 3 = 2f+1 "replicas".
/// </summary>
public class TwinTests
{
    private static SimTime At(double s) => SimTime.Zero + Duration.FromSeconds(s);

    [Theory]
    [InlineData("pbft")]
    [InlineData("hotstuff")]
    [InlineData("hotstuff-2chain")]
    public void Twins_of_one_replica_split_across_a_partition_cannot_fork_and_commits_resume(string protocol)
    {
        var network = new NetworkSpec { Jitter = new Lab.Sim.Distributions.Uniform(0.005, 0.015) };
        var world = ByzantineToleranceTests.World(protocol, [new ByzantineSpec(0, ByzantineBehaviour.Twin)], stopAt: 6, network);
        Assert.Equal(["n0", "n0-twin"], world.Replicas.Instances(0).Select(n => world.Nodes[n.Value].Name));
        var faults = new[]
        {
            new ScheduledFault(At(1), new Partition([NodeSelector.Named("n0", "n1", "c0"), NodeSelector.Named("n0-twin", "n2", "n3", "c1")]), Duration.FromSeconds(2)),
            new ScheduledFault(At(4), new Partition([NodeSelector.Named("n0", "n2", "n3", "c0"), NodeSelector.Named("n0-twin", "n1", "c1")]), Duration.FromSeconds(1)),
        };
        var run = BftRun.Create(world, network, Duration.FromSeconds(14), 2, faults).Run();
        Assert.Empty(run.World.Violations);
        var m = run.Result!.Metrics;
        Assert.Equal(m.Counter("submitted_tx"), m.Counter("committed_tx"));
        Assert.True(run.Log(1).Count > 0 && run.Log(2).Count > 0);
    }
}
