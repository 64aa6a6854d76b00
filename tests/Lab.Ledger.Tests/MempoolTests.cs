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

    [Fact]
    public void Removal_from_the_middle_keeps_arrival_order_and_byte_count()
    {
        var pool = new Mempool(new BlockOptions());
        for (int i = 1; i <= 5; i++) pool.Add(Tx(i, 10 * i));
        Assert.True(pool.Remove(new TxId(3)));
        Assert.False(pool.Remove(new TxId(3)));
        Assert.Equal([1L, 2L, 4L, 5L], pool.InArrivalOrder().Select(t => t.Id.Value));
        Assert.Equal(10 + 20 + 40 + 50, pool.Bytes);
        Assert.False(pool.Contains(new TxId(3)));
    }

    [Fact]
    public void A_transaction_added_again_after_removal_queues_at_the_back_once()
    {
        var pool = new Mempool(new BlockOptions());
        pool.Add(Tx(1)); pool.Add(Tx(2));
        pool.Remove(new TxId(1));
        pool.Add(Tx(1));
        Assert.Equal([2L, 1L], pool.InArrivalOrder().Select(t => t.Id.Value));
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void Next_block_selects_without_removing_and_skips_what_is_already_proposed()
    {
        var pool = new Mempool(new BlockOptions { MaxTransactions = 2 });
        for (int i = 1; i <= 4; i++) pool.Add(Tx(i));
        var first = pool.NextBlock(tx => tx.Id.Value == 1, out var full);
        Assert.Equal([2L, 3L], first.Select(t => t.Id.Value));
        Assert.True(full);
        Assert.Equal(4, pool.Count);
        var rest = pool.NextBlock(tx => tx.Id.Value <= 3, out full);
        Assert.Equal([4L], rest.Select(t => t.Id.Value));
        Assert.False(full);
    }

    [Fact]
    public void A_block_is_full_by_bytes_before_it_is_full_by_count()
    {
        var pool = new Mempool(new BlockOptions { MaxTransactions = 100, MaxBytes = 250 });
        pool.Add(Tx(1, 100)); pool.Add(Tx(2, 100));
        Assert.False(pool.HasFullBlock);
        pool.NextBlock(null, out var full);
        Assert.False(full);
        pool.Add(Tx(3, 100));
        Assert.True(pool.HasFullBlock);
        Assert.Equal(2, pool.NextBlock(null, out full).Count);
        Assert.True(full);
    }

    [Fact]
    public void Many_removals_compact_the_queue_without_changing_what_is_pending()
    {
        var pool = new Mempool(new BlockOptions());
        for (int i = 0; i < 5000; i++) pool.Add(Tx(i));
        // The oldest stays pending (holds the head); everything else but the last ten commits.
        for (int i = 1; i < 4990; i++) pool.Remove(new TxId(i));
        Assert.Equal(new long[] { 0 }.Concat(Enumerable.Range(4990, 10).Select(i => (long)i)), pool.InArrivalOrder().Select(t => t.Id.Value));
        Assert.Equal(11 * 100, pool.Bytes);
    }

    [Fact]
    public void Random_adds_removals_and_selections_match_a_plain_list_across_compactions()
    {
        // Removals mostly in arrival order (the front is dropped) with some out of order (gaps closed and
        // positions renumbered), and ids added again after removal: the pool must stay a list in arrival order.
        var options = new BlockOptions { MaxTransactions = 7 };
        var pool = new Mempool(options);
        var reference = new List<Transaction>();
        var proposed = new HashSet<TxId>();
        var random = new Random(17);
        var pending = new HashSet<TxId>();
        int next = 0;
        for (int step = 0; step < 24_000; step++)
        {
            // Phases of 4,000 steps: removals only at the front, then mixed; the pool hovers around 300.
            var inOrder = step / 4000 % 2 == 0;
            var op = random.Next(100);
            if (op < (reference.Count < 300 ? 60 : 40) || reference.Count == 0)
            {
                var id = random.Next(10) == 0 && next > 0 ? random.Next(next) : next++;
                var tx = Tx(id, 10 + id % 7);
                var isNew = pending.Add(tx.Id);
                Assert.Equal(isNew, pool.Add(tx));
                if (isNew) reference.Add(tx);
            }
            else if (op < 95)
            {
                var at = inOrder || random.Next(10) < 8 ? 0 : random.Next(reference.Count);
                Assert.True(pool.Remove(reference[at].Id));
                pending.Remove(reference[at].Id);
                proposed.Remove(reference[at].Id);
                reference.RemoveAt(at);
            }
            else if (op < 99)
            {
                var batch = pool.NextUnproposed(t => proposed.Contains(t.Id), out _);
                Assert.Equal(reference.Where(t => !proposed.Contains(t.Id)).Take(options.MaxTransactions).Select(t => t.Id), batch.Select(t => t.Id));
                foreach (var t in batch) proposed.Add(t.Id);
            }
            else
            {
                proposed.Clear();
                pool.ForgetProposed();
            }
            Assert.Equal(reference.Count, pool.Count);
        }
        Assert.Equal(reference.Select(t => t.Id), pool.InArrivalOrder().Select(t => t.Id));
        Assert.Equal(reference.Sum(t => (long)t.SizeBytes), pool.Bytes);
        Assert.False(pool.Remove(new TxId(next + 1)));
    }
}
