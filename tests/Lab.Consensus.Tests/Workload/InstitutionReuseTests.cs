using Lab.Consensus.Common;
using Lab.Consensus.Tests.Common;
using Lab.Consensus.Workload;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Workload;

/// <summary>How a non-load client (an institution settling specific trades) reuses submit-and-await-finality.</summary>
public class InstitutionReuseTests
{
    /// <summary>Accepts even amounts only: stands in for a contract that can refuse a transaction.</summary>
    private sealed class EvenAmounts : IStateMachine
    {
        public IReadOnlyList<TxOutcome> Apply(Block block, INodeContext ctx) =>
            block.Transactions.Select(t => t.Payload is int n && n % 2 == 0 ? TxOutcome.Ok : new TxOutcome(false, "odd amount")).ToList();
    }

    /// <summary>Submits four trades at 1 s and records what the ledger did with each.</summary>
    private sealed class Bank(ChainAccess chain) : ITransactionSource
    {
        private readonly FinalityTracker _tracker = chain.NewTracker();
        public List<Finality> Settled { get; } = [];
        public SubmissionLog? Submissions => _tracker.Submissions;

        public void OnStart(INodeContext ctx)
        {
            _tracker.OnStart(ctx);
            _tracker.Finalized = (_, f) => Settled.Add(f);
            ctx.SetTimer(Duration.FromSeconds(1), "open");
        }

        public void OnTimer(INodeContext ctx, object state)
        {
            if (_tracker.OnTimer(ctx, state)) return;
            for (int amount = 1; amount <= 4; amount++) _tracker.Submit(ctx, 300, amount);
        }

        public void OnMessage(INodeContext ctx, NodeId from, object message) => _tracker.OnMessage(ctx, from, message);
    }

    [Fact]
    public void An_institution_learns_each_trades_outcome_through_the_finality_tracker()
    {
        Bank? bank = null;
        var end = new Capture<Bank>(_ => bank!);
        var (_, w) = Harness.RunRaft(3, chain: Harness.FreeChain with { StateMachine = () => new EvenAmounts() },
            extraNodes: access => [new NodeSpec("bank-a", 0, "institution", () => bank = new Bank(access))], observers: [end]);
        Assert.Empty(w.Violations);
        var settled = end.AtEnd!.Settled.OrderBy(f => (int)f.Tx.Payload!).ToList();
        Assert.Equal([1, 2, 3, 4], settled.Select(f => (int)f.Tx.Payload!));
        Assert.Equal([false, true, false, true], settled.Select(f => f.Outcome.Accepted));
        Assert.Equal("odd amount", settled[0].Outcome.Reason);
        Assert.All(settled, f => Assert.InRange(f.Latency.TotalSeconds, 0.02, 0.1));
    }
}
