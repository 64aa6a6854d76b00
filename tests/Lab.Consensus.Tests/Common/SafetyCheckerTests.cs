using Lab.Consensus.Common;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Common;

public class SafetyCheckerTests
{
    private static Block Chain(string tag, int height) => new(height, Hash.Of(System.Text.Encoding.UTF8.GetBytes(tag + height)), [], tag);

    /// <summary>Commits blocks 1..<paramref name="first"/> at 1 ms; with a second chain, at 5 ms it starts a new commit
    /// log (its disk was lost) and commits that chain's blocks 1..n in one go.</summary>
    private sealed class Scripted(string tag, int first, (string Tag, int Count)? second = null) : IReplica
    {
        public CommitLog? Commits { get; private set; }
        public bool IsByzantine => false;
        public void OnStart(INodeContext ctx)
        {
            Commits = CommitLog.Of(ctx);
            ctx.SetTimer(Duration.FromMillis(1), "first");
            if (second is not null) ctx.SetTimer(Duration.FromMillis(5), "second");
        }
        public void OnTimer(INodeContext ctx, object state)
        {
            var (t, n) = state is "first" ? (tag, first) : second!.Value;
            if (state is "second") Commits = new CommitLog();
            for (int h = 1; h <= n; h++) Commits!.Commit(h, Chain(t, h).Hash, 0, ctx.Now);
        }
        public void OnMessage(INodeContext ctx, NodeId from, object message) { }
    }

    [Fact]
    public void A_new_log_that_outgrew_the_old_one_between_two_checks_is_checked_from_height_one()
    {
        var nodes = new List<NodeSpec>
        {
            new("n0", 0, "replica", () => new Scripted("a", 3)),
            new("n1", 0, "replica", () => new Scripted("a", 2, ("b", 3))),
        };
        var checker = new SafetyChecker();
        var sim = new Simulation(new SimulationOptions { EndTime = SimTime.Zero + Duration.FromMillis(10) }, NetworkSpec.Constant(Duration.FromMillis(1)), nodes);
        sim.AddObserver(checker);
        sim.Run();
        // Told apart by identity, not by length: heights 1 and 2 of the new log are compared too, not only height 3.
        Assert.Equal([1L, 2L, 3L], checker.Violations.Select(v => v.Height).Order());
        Assert.All(checker.Violations, v => Assert.Equal(1, v.OtherNode.Value));
        Assert.Equal(3, checker.HighestHeight);
    }
}
