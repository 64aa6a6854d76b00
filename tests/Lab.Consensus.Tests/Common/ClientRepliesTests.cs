using Lab.Consensus.Common;
using Lab.Ledger.State;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Common;

public class ClientRepliesTests
{
    private static readonly NodeId Replica = new(0);

    /// <summary>The block form (the block's transactions and the client they are for) reads as the same replies as the
    /// id-array form: the client's transactions only, in block order, with their outcomes.</summary>
    [Fact]
    public void The_block_form_reads_as_the_client_s_replies_in_block_order()
    {
        var clients = new[] { new NodeId(5), new NodeId(6), new NodeId(7) };
        var block = Enumerable.Range(0, 12).Select(i => new Transaction(TxId.For(clients[i * 7 % 3], i), "c", null, 100, SimTime.Zero)).ToList();
        var rejected = new TxOutcome(false, "insufficient funds");
        foreach (var client in clients)
        {
            var mine = block.Where(t => t.Id.Client == client).Select(t => t.Id).ToArray();
            TxOutcome[] outcomes = [.. mine.Select((_, i) => i == 1 ? rejected : TxOutcome.Ok)];
            foreach (var withOutcomes in new[] { false, true })
            {
                var o = withOutcomes ? outcomes : null;
                var compact = new ClientReplies(9, Replica, mine, o);
                var fromBlock = new ClientReplies(9, Replica, block, client, mine.Length, o);
                Assert.Equal(mine.Length, fromBlock.Count);
                var enumerated = new List<(TxId, long, bool, NodeId?, TxOutcome?, int?)>();
                foreach (var r in fromBlock) enumerated.Add(r);
                Assert.Equal(Enumerable.Range(0, mine.Length).Select(compact.At), enumerated);
                Assert.Equal(Enumerable.Range(0, mine.Length).Select(compact.At), Enumerable.Range(0, mine.Length).Select(fromBlock.At));
                Assert.Equal(compact.Replies, fromBlock.Replies);
                Assert.Equal(mine, fromBlock.Replies.Select(r => r.Tx));
            }
        }
        Assert.Throws<ArgumentException>(() => new ClientReplies(9, Replica, block, clients[0], 4, [TxOutcome.Ok]));
    }
}
