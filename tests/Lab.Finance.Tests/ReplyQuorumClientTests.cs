using Lab.Consensus.Common;
using Lab.Finance.Chain;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Testing;
using Lab.Sim.Time;

namespace Lab.Finance.Tests;

public class ReplyQuorumClientTests
{
    [Fact]
    public void A_block_of_replies_in_one_message_makes_each_transaction_final()
    {
        // Raft and solo answer a committed block with one ClientReplies message.
        var ctx = new ManualNodeContext(nodes: 3, self: 2);
        var client = new ReplyQuorumClient(new ReplyQuorumOptions(["n0", "n1"], MatchingReplies: 1, SendToAll: false, Duration.FromSeconds(2)));
        client.Start(ctx);
        var a = new Transaction(TxId.For(ctx.Self, 1), "c", null, 100, SimTime.Zero);
        var b = new Transaction(TxId.For(ctx.Self, 2), "c", null, 100, SimTime.Zero);
        client.Submit(ctx, a);
        client.Submit(ctx, b);
        var final = new List<ChainFinality>();
        ctx.Now = SimTime.Zero + Duration.FromMillis(30);
        var handled = client.TryHandle(ctx, new NodeId(0), new ClientReplies([new ClientReply(a.Id, 7, true, Outcome: TxOutcome.Ok), new ClientReply(b.Id, 7, true, Outcome: TxOutcome.Ok)]), final);
        Assert.True(handled);
        Assert.Equal([a.Id, b.Id], final.Select(f => f.Tx.Id));
        Assert.All(final, f => Assert.Equal(Duration.FromMillis(30), f.Latency));
        Assert.Equal(0, client.InFlight);
    }
}
