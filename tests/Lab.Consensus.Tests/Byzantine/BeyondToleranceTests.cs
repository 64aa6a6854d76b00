using Lab.Consensus.Byzantine;
using Lab.Consensus.Pbft;
using Lab.Sim.Distributions;
using Lab.Sim.Faults;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Byzantine;

public class BeyondToleranceTests
{
    private static SimTime At(double s) => SimTime.Zero + Duration.FromSeconds(s);

    private static BftRun Run(IReadOnlyList<ByzantineSpec> byzantine, ulong seed = 3) =>
        // As scenarios/consensus/beyond-tolerance.yaml: n0 (primary) and n1 equivocate together;
        // n2 and n3 cannot hear each other, but both hear the equivocators.
        BftRun.Create(new PbftProtocol(new PbftOptions()), 4, BftRun.Load(50), new NetworkSpec { Jitter = new Uniform(0.005, 0.015) },
            Duration.FromSeconds(5), seed, [new ScheduledFault(At(1), new Cut(NodeSelector.Named("n2", "n3")), Duration.FromSeconds(3))], byzantine).Run();

    [Fact]
    public void Two_colluding_equivocators_among_four_replicas_fork_the_chain_and_the_checker_reports_it()
    {
        var run = Run([new ByzantineSpec(0, ByzantineBehaviour.Equivocate, Collude: true), new ByzantineSpec(1, ByzantineBehaviour.Equivocate, Collude: true)]);
        var violations = run.World.Agreement.Violations;
        Assert.NotEmpty(violations);
        var first = violations[0];
        // The two honest replicas committed different batches at the same height.
        Assert.Equal(new[] { 2, 3 }, new[] { first.FirstNode.Value, first.OtherNode.Value }.Order());
        Assert.NotEqual(first.FirstBlock, first.OtherBlock);
        Assert.Equal(run.Log(2)[(int)first.Height - 1].Block, first.FirstNode.Value == 2 ? first.FirstBlock : first.OtherBlock);
        Assert.True(first.At > SimTime.Zero);
        Assert.Contains($"height {first.Height}", first.Description);
        Assert.Equal(violations.Count, run.Metrics["safety_violations"]);
        Assert.Equal(first.Height, run.Metrics["first_violation_height"]);
    }

    [Fact]
    public void One_equivocator_in_the_same_setting_cannot_fork()
    {
        var run = Run([new ByzantineSpec(0, ByzantineBehaviour.Equivocate, Collude: true)]);
        Assert.Empty(run.World.Agreement.Violations);
        Assert.True(run.Log(2).Count > 0 || run.Log(3).Count > 0);
    }
}
