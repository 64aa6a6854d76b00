using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Institutions;
using Lab.Finance.Securities;
using Lab.Sim.Nodes;

namespace Lab.Finance.TwoLayer;

/// <summary>
/// A regional market's order entry (issue 14 §4): replays its share of the market's tape (the securities traded in its
/// region) and submits each trade to its region's business chain as a <see cref="RegionalTrade"/> of
/// <paramref name="tradeBytes"/>, resending until final however long the chain is down.
/// </summary>
public sealed class RegionalExchange(TradeTape tape, FinalityTracker client, int tradeBytes) : TapeReplay(tape), ITransactionSource
{
    public SubmissionLog? Submissions => client.Submissions;

    public override void OnStart(INodeContext ctx)
    {
        // Less than reality: after its own crash it goes on with the tape where it stopped and does not chase what was
        // in flight (no experiment here crashes an exchange).
        client.OnStart(ctx);
        base.OnStart(ctx);
    }

    protected override void OnOrder(INodeContext ctx, Trade trade) => client.Submit(ctx, tradeBytes, RegionalTrade.Of(trade));

    public override void OnMessage(INodeContext ctx, NodeId from, object message) => client.OnMessage(ctx, from, message);

    public override void OnTimer(INodeContext ctx, object state)
    {
        if (!client.OnTimer(ctx, state)) base.OnTimer(ctx, state);
    }
}
