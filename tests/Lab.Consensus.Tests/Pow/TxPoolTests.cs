using Lab.Consensus.Pow;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Pow;

public class TxPoolTests
{
    private static readonly Duration Relay = Duration.FromSeconds(10);

    private static Transaction Tx(int client, long sequence, int bytes = 250) =>
        new(TxId.For(new NodeId(client), sequence), $"c{client}", null, bytes, SimTime.Zero);

    private static SimTime At(double seconds) => SimTime.Zero + Duration.FromSeconds(seconds);

    [Fact]
    public void A_transaction_is_visible_to_miners_one_relay_delay_after_its_gateway_took_it()
    {
        var pool = new TxPool(Relay);
        pool.Admit([new Receipt(Tx(7, 1), 0, At(3)), new Receipt(Tx(7, 2), 1, At(1))], windowEnd: At(4));
        // In order of receipt, not of the list.
        Assert.Equal(2, pool[0].Tx.Id.Sequence);
        Assert.Equal(At(11), pool[0].VisibleAt);
        Assert.Equal(0, pool.VisibleAt(At(10.9)));
        Assert.Equal(1, pool.VisibleAt(At(11)));
        Assert.Equal(2, pool.VisibleAt(At(13)));
    }

    [Fact]
    public void With_a_relay_delay_shorter_than_the_window_a_transaction_is_visible_at_the_window_end()
    {
        var pool = new TxPool(Duration.FromMillis(1));
        pool.Admit([new Receipt(Tx(7, 1), 0, At(1))], windowEnd: At(1.05));
        Assert.Equal(At(1.05), pool[0].VisibleAt);
    }

    [Fact]
    public void A_retry_of_a_transaction_already_in_the_pool_is_refused()
    {
        var pool = new TxPool(Relay);
        pool.Admit([new Receipt(Tx(7, 1), 0, At(1))], At(1));
        pool.Admit([new Receipt(Tx(7, 1), 2, At(5)), new Receipt(Tx(7, 2), 2, At(5))], At(5));
        Assert.Equal(2, pool.Count);
        Assert.Equal(0, pool.IndexOf(Tx(7, 1).Id));
        Assert.Equal(0, pool[0].Gateway);
        Assert.Null(pool.IndexOf(Tx(7, 3).Id));
    }

    [Fact]
    public void A_block_takes_as_many_of_the_oldest_visible_transactions_as_fit_its_bytes()
    {
        var pool = new TxPool(Relay);
        pool.Admit([.. Enumerable.Range(0, 10).Select(i => new Receipt(Tx(7, i, bytes: 100 + i), 0, At(i)))], At(10));
        Assert.Equal(100 + 101 + 102, pool.BytesOf(0, 3));
        Assert.Equal(3, pool.Fitting(from: 0, available: 10, budget: 303));
        Assert.Equal(2, pool.Fitting(from: 0, available: 10, budget: 302));
        // Only the visible ones, from where the chain stands.
        Assert.Equal(2, pool.Fitting(from: 4, available: 6, budget: 10_000));
        Assert.Equal(0, pool.Fitting(from: 6, available: 6, budget: 10_000));
    }

    [Fact]
    public void Admitting_receipts_older_than_the_pool_is_an_error()
    {
        var pool = new TxPool(Relay);
        pool.Admit([new Receipt(Tx(7, 1), 0, At(5))], At(5));
        Assert.Throws<InvalidOperationException>(() => pool.Admit([new Receipt(Tx(7, 2), 0, At(1))], At(1)));
    }
}
