using Lab.Finance.Securities;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Institutions;

/// <summary>
/// Replays the order tape at each order's time. Subclasses decide what order entry does (accept and
/// send to clearing, check and lock on chain, or reject). The replay position is durable.
/// </summary>
public abstract class TapeReplay(TradeTape tape) : INodeBehaviour
{
    private sealed record NextTrade;
    private int[] _next = [0];

    protected TradeTape Tape => tape;

    public virtual void OnStart(INodeContext ctx)
    {
        _next = ctx.Storage.GetOrAdd("exchange.next", () => new[] { 0 });
        ScheduleNext(ctx);
    }

    public virtual void OnMessage(INodeContext ctx, NodeId from, object message) { }

    public virtual void OnTimer(INodeContext ctx, object state)
    {
        if (state is not NextTrade) return;
        var trades = tape.Trades;
        while (_next[0] < trades.Count && trades[_next[0]].ExecutedAtNs <= ctx.Now.Nanos)
        {
            var t = trades[_next[0]++];
            OnOrder(ctx, t);
        }
        ScheduleNext(ctx);
    }

    private void ScheduleNext(INodeContext ctx)
    {
        if (_next[0] >= tape.Trades.Count) return;
        var at = tape.Trades[_next[0]].ExecutedAtNs;
        ctx.SetTimer(Duration.FromNanos(Math.Max(0, at - ctx.Now.Nanos)), new NextTrade());
    }

    /// <summary>An order pair reaches order entry (at its time on the tape).</summary>
    protected abstract void OnOrder(INodeContext ctx, Trade trade);
}
