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

    /// <summary>Commits blocks 1..2 of chain "a" at 1 ms, then ticks every millisecond (windows in which nothing is
    /// committed) and at <paramref name="lateAt"/> ms commits height 3 of <paramref name="lateTag"/>.</summary>
    private sealed class Late(string lateTag, int lateAt) : IReplica
    {
        public CommitLog? Commits { get; private set; }
        public bool IsByzantine => false;
        private int _ticks;
        public void OnStart(INodeContext ctx) { Commits = CommitLog.Of(ctx); ctx.SetTimer(Duration.FromMillis(1), "tick"); }
        public void OnTimer(INodeContext ctx, object state)
        {
            _ticks++;
            if (_ticks == 1) for (int h = 1; h <= 2; h++) Commits!.Commit(h, Chain("a", h).Hash, 0, ctx.Now);
            if (_ticks == lateAt) Commits!.Commit(3, Chain(lateTag, 3).Hash, 0, ctx.Now);
            if (_ticks < 20) ctx.SetTimer(Duration.FromMillis(1), "tick");
        }
        public void OnMessage(INodeContext ctx, NodeId from, object message) { }
    }

    private sealed class Probe(SafetyChecker checker, List<(SimTime At, int Violations)> seen) : Lab.Sim.Faults.ISimulationObserver
    {
        public void OnBarrier(Lab.Sim.Faults.ISimulationView view) => seen.Add((view.Now, checker.Violations.Count));
        public void OnEnd(Lab.Sim.Faults.ISimulationView view) { }
    }

    [Fact]
    public void A_conflicting_commit_after_many_quiet_windows_is_caught_at_the_next_barrier()
    {
        var nodes = new List<NodeSpec>
        {
            new("n0", 0, "replica", () => new Late("a", 3)),
            new("n1", 0, "replica", () => new Late("b", 12)),
        };
        var checker = new SafetyChecker();
        var seen = new List<(SimTime At, int Violations)>();
        var sim = new Simulation(new SimulationOptions { EndTime = SimTime.Zero + Duration.FromMillis(30) }, NetworkSpec.Constant(Duration.FromMillis(1)), nodes);
        sim.AddObserver(checker);
        sim.AddObserver(new Probe(checker, seen));
        sim.Run();
        var v = Assert.Single(checker.Violations);
        Assert.Equal((3L, 0, 1), (v.Height, v.FirstNode.Value, v.OtherNode.Value));
        // Reported between windows right after the 12 ms commit, not only when the run ends.
        var first = seen.First(s => s.Violations == 1).At;
        Assert.InRange(first.Nanos, Duration.FromMillis(12).Nanos, Duration.FromMillis(14).Nanos);
        Assert.Contains(seen, s => s.Violations == 0 && s.At > SimTime.Zero + Duration.FromMillis(4)); // quiet windows came before
    }
}
