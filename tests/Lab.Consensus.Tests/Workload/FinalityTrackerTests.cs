using Lab.Sim.Testing;
using Lab.Consensus.Common;
using Lab.Consensus.Tests.Common;
using Lab.Consensus.Workload;
using Lab.Ledger.Crypto;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Workload;

public class FinalityTrackerTests
{
    private static readonly NodeId[] Replicas = [new(0), new(1), new(2), new(3)];

    private static (FinalityTracker Tracker, ManualNodeContext Ctx, List<Finality> Final) Start(FinalityRule rule)
    {
        var ctx = new ManualNodeContext(nodes: 5, self: 4);
        var final = new List<Finality>();
        var tracker = new FinalityTracker(rule, Replicas, TransactionSigning.Free) { Finalized = (_, f) => final.Add(f) };
        tracker.OnStart(ctx);
        return (tracker, ctx, final);
    }

    [Fact]
    public void Bft_finality_needs_f_plus_one_matching_replies_from_distinct_replicas()
    {
        var (tracker, ctx, final) = Start(FinalityRule.AllReplicas(f: 1));
        var tx = tracker.Submit(ctx, 100);
        Assert.Equal(4, ctx.Sent.Count(s => ClientRequest.TxOf(s.Message) == tx)); // sent to all replicas
        ctx.Now += Duration.FromMillis(10);
        tracker.OnMessage(ctx, Replicas[0], new ClientReply(tx.Id, 7, true));
        tracker.OnMessage(ctx, Replicas[0], new ClientReply(tx.Id, 7, true));      // same replica again
        tracker.OnMessage(ctx, Replicas[1], new ClientReply(tx.Id, 8, true));      // a liar: another height
        Assert.Empty(final);
        tracker.OnMessage(ctx, Replicas[2], new ClientReply(tx.Id, 7, true));
        var f = Assert.Single(final);
        Assert.Equal(7, f.Height);
        Assert.Equal(Duration.FromMillis(10), f.Latency);
        Assert.Equal(0, tracker.Outstanding);
    }

    [Fact]
    public void A_leader_client_follows_the_hint_and_finishes_on_one_reply()
    {
        var (tracker, ctx, final) = Start(FinalityRule.LeaderReply);
        var tx = tracker.Submit(ctx, 100);
        var first = ctx.Sent.Single().To;
        tracker.OnMessage(ctx, first, new ClientReply(tx.Id, 0, false, Replicas[2]));
        Assert.Equal(Replicas[2], ctx.Sent[^1].To);
        tracker.OnMessage(ctx, Replicas[2], new ClientReplies([new ClientReply(tx.Id, 3, true, Replicas[2], new TxOutcome(false, "insufficient funds"))]));
        var f = Assert.Single(final);
        Assert.False(f.Outcome.Accepted);
        Assert.Equal(2, f.Attempts);
        Assert.Equal(Replicas[2], tracker.BelievedLeader);
    }

    /// <summary>A block's replies as ids and outcomes (what a replica sends) finish the same transactions with the
    /// same heights and outcomes as the same replies as objects, also over many rounds (finished records are reused).</summary>
    [Fact]
    public void Compact_block_replies_finish_transactions_as_reply_objects_do()
    {
        var rejected = new TxOutcome(false, "insufficient funds");
        List<Finality> Run(bool compact)
        {
            var (tracker, ctx, final) = Start(FinalityRule.LeaderReply);
            for (int round = 0; round < 50; round++)
            {
                var txs = Enumerable.Range(0, 3).Select(_ => tracker.Submit(ctx, 100).Id).ToArray();
                var leader = ctx.Sent[^1].To;
                ctx.Now += Duration.FromMillis(5);
                TxOutcome[]? outcomes = round % 2 == 0 ? null : [TxOutcome.Ok, rejected, TxOutcome.Ok];
                var replies = compact
                    ? new ClientReplies(round + 1, leader, txs, outcomes)
                    : new ClientReplies([.. txs.Select((t, i) => new ClientReply(t, round + 1, true, leader, outcomes?[i] ?? TxOutcome.Ok))]);
                Assert.Equal(3, replies.Count);
                tracker.OnMessage(ctx, leader, replies);
            }
            Assert.Equal(0, tracker.Outstanding);
            return final;
        }
        var fromObjects = Run(compact: false);
        var fromCompact = Run(compact: true);
        Assert.Equal(150, fromCompact.Count);
        Assert.Equal(fromObjects.Select(f => (f.Tx.Id, f.Height, f.Outcome, f.SubmittedAt, f.FinalAt, f.Attempts)),
                     fromCompact.Select(f => (f.Tx.Id, f.Height, f.Outcome, f.SubmittedAt, f.FinalAt, f.Attempts)));
        Assert.Equal(25, fromCompact.Count(f => !f.Outcome.Accepted));
        var compactReplies = new ClientReplies(4, Replicas[1], [new TxId(1), new TxId(2)], null);
        Assert.Equal([new ClientReply(new TxId(1), 4, true, Replicas[1], TxOutcome.Ok), new ClientReply(new TxId(2), 4, true, Replicas[1], TxOutcome.Ok)], compactReplies.Replies);
    }

    [Fact]
    public void A_transaction_not_final_in_time_is_resent_to_the_next_replica()
    {
        var rule = FinalityRule.LeaderReply with { RetryTimeout = Duration.FromMillis(100) };
        var (tracker, ctx, _) = Start(rule);
        tracker.Submit(ctx, 100);
        var first = ctx.Sent.Single().To;
        var (_, at, state) = ctx.Timers.Single();
        Assert.Equal(SimTime.Zero + Duration.FromMillis(100), at);
        ctx.Now = at;
        Assert.True(tracker.OnTimer(ctx, state));
        Assert.Equal(2, ctx.Sent.Count);
        Assert.NotEqual(first, ctx.Sent[^1].To);
        Assert.False(tracker.OnTimer(ctx, "someone else's timer"));
    }
}
