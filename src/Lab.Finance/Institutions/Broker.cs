using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Institutions;

/// <summary>
/// A clearing member. Under T+n it affirms confirmations on behalf of its institutional clients,
/// at the time the trade tape gives (same day for most, the next morning for the rest). On chain
/// its cash and shares are tokens; the exchange settles on its behalf (pre-authorised).
/// </summary>
public sealed class Broker : INodeBehaviour
{
    private NodeId _ccp;

    public void OnStart(INodeContext ctx) => ctx.Directory.TryFind(Securities.MarketNames.Ccp, out _ccp); // no CCP on chain

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (message is TradeConfirmation c)
            ctx.SetTimer(Duration.FromNanos(Math.Max(0, c.Trade.AffirmedAtNs - ctx.Now.Nanos)), new Affirmation(c.Trade));
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (state is Affirmation a) ctx.Send(_ccp, a, 96);
    }
}
