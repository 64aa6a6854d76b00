using Lab.Consensus.Common;
using Lab.Ledger.Blocks;
using Lab.Ledger.Transactions;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Common;

public class LedgerValidityCheckerTests
{
    /// <summary>A client that submits two transactions (sequences 0 and 1) and does nothing else.</summary>
    private sealed class Submitter : ITransactionSource
    {
        public SubmissionLog? Submissions { get; private set; }
        public void OnStart(INodeContext ctx)
        {
            Submissions = SubmissionLog.Of(ctx);
            for (int i = 0; i < 2; i++) Submissions.Record(new Transaction(Submissions.NextId(ctx.Self), "c", null, 10, ctx.Now));
        }
        public void OnMessage(INodeContext ctx, NodeId from, object message) { }
        public void OnTimer(INodeContext ctx, object state) { }
    }

    /// <summary>A replica that commits whatever blocks it is told to, at t = 1 ms.</summary>
    private sealed class Scripted(Func<Submitter, IReadOnlyList<Block>> blocks, Func<Submitter> client) : IBlockSource
    {
        private readonly List<Block> _chain = [];
        public CommitLog? Commits { get; private set; }
        public bool IsByzantine => false;
        public Block? BlockAt(long height) => height >= 1 && height <= _chain.Count ? _chain[(int)height - 1] : null;
        public void OnStart(INodeContext ctx) { Commits = CommitLog.Of(ctx); ctx.SetTimer(Duration.FromMillis(1), "go"); }
        public void OnTimer(INodeContext ctx, object state)
        {
            foreach (var b in blocks(client())) { _chain.Add(b); Commits!.Commit(b.Height, b.Hash, b.Transactions.Count, ctx.Now); }
        }
        public void OnMessage(INodeContext ctx, NodeId from, object message) { }
    }

    private static IReadOnlyList<SafetyViolation> Check(Func<Submitter, IReadOnlyList<Block>> blocks)
    {
        Submitter? client = null;
        var nodes = new List<NodeSpec>
        {
            new("n0", 0, "replica", () => new Scripted(blocks, () => client!)),
            new("c0", 0, "client", () => client = new Submitter()),
        };
        var checker = new LedgerValidityChecker();
        var sim = new Simulation(new SimulationOptions { EndTime = SimTime.Zero + Duration.FromMillis(10) }, NetworkSpec.Constant(Duration.FromMillis(1)), nodes);
        sim.AddObserver(checker);
        sim.Run();
        return checker.Violations;
    }

    [Fact]
    public void Submitted_transactions_committed_once_pass()
    {
        Assert.Empty(Check(c => [new Block(1, Block.Genesis.Hash, [c.Submissions!.Find(0)!, c.Submissions.Find(1)!], "n0")]));
    }

    [Fact]
    public void A_transaction_committed_twice_is_a_violation_with_its_height()
    {
        var v = Check(c =>
        {
            var b1 = new Block(1, Block.Genesis.Hash, [c.Submissions!.Find(0)!], "n0");
            return [b1, new Block(2, b1.Hash, [c.Submissions.Find(0)!], "n0")];
        });
        Assert.Equal(2, Assert.Single(v).Height);
        Assert.Contains("second time", v[0].Description);
    }

    [Fact]
    public void A_transaction_nobody_submitted_is_a_violation()
    {
        var v = Check(c => [new Block(1, Block.Genesis.Hash, [c.Submissions!.Find(0)! with { Payload = "forged" }], "n0")]);
        Assert.Contains("never submitted", Assert.Single(v).Description);
    }
}
