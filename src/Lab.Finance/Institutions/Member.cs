using Lab.Finance.Securities;
using Lab.Sim.Nodes;

namespace Lab.Finance.Institutions;

/// <summary>
/// A clearing member's back office. Under a deferred-net regime: when the CCP projects a net short it
/// cannot cover from its holdings, it asks the depository to borrow the shares; it pays margin and
/// clearing-fund calls through the settlement bank (which draws on its credit line if its cash falls
/// short); as an institution it affirms the broker's confirmations of its block trades when its
/// processing is done (the time on the tape). On chain: when an order was rejected for lack of cash
/// in its wallet, it asks the venue to draw on its credit line. Durable; messages on a <see cref="ReliableLink"/>.
/// </summary>
public sealed class Member(int index) : INodeBehaviour
{
    private sealed record Affirm(int Trade, long AtNs);

    private readonly ReliableLink _link = new("member.link");
    private readonly Agenda _agenda = new("member.agenda");
    private NodeId _ccp, _csd, _bank, _exchange;
    private bool _deferredNet;

    public void OnStart(INodeContext ctx)
    {
        _deferredNet = ctx.Directory.TryFind(MarketNames.Ccp, out _ccp);
        ctx.Directory.TryFind(MarketNames.Csd, out _csd);
        ctx.Directory.TryFind(MarketNames.Bank, out _bank);
        _exchange = ctx.Directory.Find(MarketNames.Exchange);
        _link.Start(ctx);
        _agenda.Start(ctx);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (!_link.TryReceive(ctx, from, message, out var body) || body is null) return;
        switch (body)
        {
            case PositionProjection p when _deferredNet:
                foreach (var line in p.Shorts) _link.Send(ctx, _csd, new BorrowRequest(index, line.Security, line.Quantity), 48);
                break;
            case Lab.Finance.Institutions.MarginCall c when _deferredNet:
                _link.Send(ctx, _bank, new PayCollateral(c.Ref, index, c.Account, c.Amount), 48);
                break;
            case Confirmation c when _deferredNet:
                _agenda.Add(ctx, Math.Max(ctx.Now.Nanos, c.Trade.AffirmedAtNs), new Affirm(c.Trade.Index, c.Trade.AffirmedAtNs));
                break;
            case WalletShort w:
                _link.Send(ctx, _exchange, new TopUpRequest(index, w.Needed), 48);
                break;
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_link.TryTimer(ctx, state)) return;
        if (!_agenda.TryTimer(ctx, state, out var due)) return;
        foreach (var x in due)
            if (x is Affirm a) _link.Send(ctx, _ccp, new Affirmation(a.Trade, Math.Max(a.AtNs, ctx.Now.Nanos)), 48);
    }
}
