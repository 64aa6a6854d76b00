using Lab.Finance.Securities;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Institutions;

/// <summary>
/// Replays the trade tape at each trade's execution time. Subclasses decide what happens to an
/// executed trade (send it to clearing, or submit it to the chain). The replay position is durable.
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
            ctx.Metrics.Series(SecuritiesMetrics.TradesExecuted);
            OnTrade(ctx, t);
        }
        ScheduleNext(ctx);
    }

    private void ScheduleNext(INodeContext ctx)
    {
        if (_next[0] >= tape.Trades.Count) return;
        var at = tape.Trades[_next[0]].ExecutedAtNs;
        ctx.SetTimer(Duration.FromNanos(Math.Max(0, at - ctx.Now.Nanos)), new NextTrade());
    }

    protected abstract void OnTrade(INodeContext ctx, Trade trade);
}

/// <summary>The exchange under T+n: each matched trade is captured at the CCP and confirmed to the buyer-side broker.</summary>
public sealed class Exchange(TradeTape tape, MarketNames names) : TapeReplay(tape)
{
    private NodeId _ccp;
    private NodeId[] _brokers = [];

    public override void OnStart(INodeContext ctx)
    {
        _ccp = ctx.Directory.Find(MarketNames.Ccp);
        _brokers = Enumerable.Range(0, names.Members).Select(m => ctx.Directory.Find(names.Member(m))).ToArray();
        base.OnStart(ctx);
    }

    protected override void OnTrade(INodeContext ctx, Trade trade)
    {
        ctx.Send(_ccp, new TradeCaptured(trade), 160);
        ctx.Send(_brokers[trade.Buyer], new TradeConfirmation(trade), 160);
    }
}
