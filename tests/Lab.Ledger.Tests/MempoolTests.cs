using Lab.Sim.Testing;
using Lab.Ledger.Batching;
using Lab.Ledger.Transactions;
using Lab.Sim.Time;

namespace Lab.Ledger.Tests;

public class MempoolTests
{
    private static Transaction Tx(int i, int size = 100) => new(new TxId(i), "c", null, size, SimTime.Zero);

    [Fact]
    public void A_block_is_due_when_max_transactions_are_pending()
    {
        var cutter = new BlockCutter(new BlockOptions { MaxTransactions = 3, BatchTimeout = Duration.FromMillis(10) });
        var ctx = new ManualNodeContext();
        Assert.False(cutter.Add(ctx, Tx(1)));
        Assert.False(cutter.Add(ctx, Tx(2)));
        Assert.True(cutter.Add(ctx, Tx(3)));
        Assert.Equal([1L, 2L, 3L], cutter.Cut(ctx).Select(t => t.Id.Value));
        Assert.Equal(0, cutter.Pool.Count);
    }

    [Fact]
    public void A_block_never_exceeds_max_bytes_unless_one_transaction_does()
    {
        var pool = new Mempool(new BlockOptions { MaxTransactions = 100, MaxBytes = 250 });
        pool.Add(Tx(1, 100)); pool.Add(Tx(2, 100)); pool.Add(Tx(3, 100)); pool.Add(Tx(4, 400));
        Assert.Equal(2, pool.Cut().Count);
        Assert.Single(pool.Cut());
        Assert.Equal(400, pool.Cut().Single().SizeBytes);
        Assert.Empty(pool.Cut());
    }

    [Fact]
    public void The_batch_timer_starts_with_the_first_transaction_and_cuts_a_partial_block()
    {
        var cutter = new BlockCutter(new BlockOptions { MaxTransactions = 10, BatchTimeout = Duration.FromMillis(10) });
        var ctx = new ManualNodeContext { Now = new SimTime(5) };
        cutter.Add(ctx, Tx(1));
        cutter.Add(ctx, Tx(2));
        var timer = Assert.Single(ctx.Timers);
        Assert.Equal(new SimTime(5) + Duration.FromMillis(10), timer.At);
        Assert.True(cutter.IsDue(timer.State));
        Assert.Equal(2, cutter.Cut(ctx).Count);
        Assert.False(cutter.IsDue(timer.State), "a timer fires once");
    }

    [Fact]
    public void A_duplicate_transaction_is_pending_once()
    {
        var pool = new Mempool(new BlockOptions());
        Assert.True(pool.Add(Tx(1)));
        Assert.False(pool.Add(Tx(1)));
        Assert.Equal(1, pool.Count);
    }
}
