using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;

namespace Lab.Ledger.Batching;

/// <summary>
/// A mempool with its batch timer: <see cref="Add"/> says when a block is due because it is full;
/// the timer (a <see cref="BatchTimeout"/> state given to <see cref="INodeContext.SetTimer"/>) says
/// when it is due because the oldest pending transaction has waited <see cref="BlockOptions.BatchTimeout"/>.
/// </summary>
public sealed class BlockCutter(BlockOptions options)
{
    private TimerId _timer = TimerId.None;
    private long _epoch;

    public Mempool Pool { get; } = new(options);

    /// <summary>Adds a pending transaction. True when a full block is ready to cut now.</summary>
    public bool Add(INodeContext ctx, Transaction tx)
    {
        if (!Pool.Add(tx)) return false;
        if (Pool.HasFullBlock) return true;
        if (_timer == TimerId.None) Arm(ctx);
        return false;
    }

    /// <summary>True if <paramref name="state"/> is this cutter's live batch timer (a block is due).</summary>
    public bool IsDue(object state)
    {
        if (state is not BatchTimeout t || t.Epoch != _epoch) return false;
        _timer = TimerId.None;
        _epoch++; // a timer fires once
        return true;
    }

    /// <summary>Takes one block's transactions; re-arms the timer if more remain.</summary>
    public List<Transaction> Cut(INodeContext ctx)
    {
        Disarm(ctx);
        var batch = Pool.Cut();
        if (Pool.Count > 0 && !Pool.HasFullBlock) Arm(ctx);
        return batch;
    }

    /// <summary>Drops all pending transactions and the timer.</summary>
    public void Clear(INodeContext ctx)
    {
        Disarm(ctx);
        Pool.Clear();
    }

    private void Arm(INodeContext ctx) => _timer = ctx.SetTimer(options.BatchTimeout, new BatchTimeout(++_epoch));

    private void Disarm(INodeContext ctx)
    {
        if (_timer == TimerId.None) return;
        ctx.CancelTimer(_timer);
        _timer = TimerId.None;
        _epoch++;
    }

    /// <summary>Timer state: the batch started at epoch <paramref name="Epoch"/> is due.</summary>
    public sealed record BatchTimeout(long Epoch);
}
