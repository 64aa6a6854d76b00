using Lab.Finance.Securities;
using Lab.Finance.Securities.Market;
using Lab.Finance.Securities.Regimes;
using Lab.Sim.Nodes;

namespace Lab.Finance.Institutions;

/// <summary>
/// The exchange under a deferred-net regime. At order entry it applies the regime's pre-trade checks
/// (China's front-end control: a sale needs shares held since the previous day, a purchase needs the
/// cash, against the exchange's view of each member's book) and refuses orders of members the CCP has
/// suspended; an accepted trade is locked in and reported to the CCP for novation, and a block in a
/// regime with an institutional flow is also confirmed to the institution for affirmation.
/// Everything it keeps is durable; reports travel on a <see cref="ReliableLink"/>.
/// </summary>
public sealed class Exchange(MarketSetup setup, SettlementRegime regime) : TapeReplay(setup.Tape), ISettlementLog
{
    private sealed class State
    {
        public required bool[] Rejected;
        public required bool[] Suspended;
        public required long[] Cash;
        public required long[] Holdings;
        public required long[] Sellable;
        public DateOnly Day;
    }

    private readonly ReliableLink _link = new("exchange.link");
    private State _state = null!;
    private NodeId _ccp, _regulator;
    private NodeId[] _members = [];

    public bool[] Rejected => _state.Rejected;

    public override void OnStart(INodeContext ctx)
    {
        _ccp = ctx.Directory.Find(MarketNames.Ccp);
        _regulator = ctx.Directory.Find(MarketNames.Regulator);
        _members = Enumerable.Range(0, setup.Members).Select(m => ctx.Directory.Find(setup.Names.Member(m))).ToArray();
        _state = ctx.Storage.GetOrAdd("exchange.state", () => new State
        {
            Rejected = new bool[setup.Tape.Trades.Count],
            Suspended = new bool[setup.Members],
            Cash = [.. setup.Sheet.Cash],
            Holdings = [.. setup.Sheet.Holdings],
            Sellable = [.. setup.Sheet.Holdings],
            Day = DateOnly.MinValue,
        });
        _link.Start(ctx);
        base.OnStart(ctx);
    }

    public override void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (!_link.TryReceive(ctx, from, message, out var body) || body is null) return;
        if (body is MemberSuspended s) _state.Suspended[s.Member] = true;
    }

    public override void OnTimer(INodeContext ctx, object state)
    {
        if (_link.TryTimer(ctx, state)) return;
        base.OnTimer(ctx, state);
    }

    protected override void OnOrder(INodeContext ctx, Trade t)
    {
        var reason = Check(t);
        if (reason is not null)
        {
            _state.Rejected[t.Index] = true;
            ctx.Metrics.Add(SecuritiesMetrics.TradesRejected);
            ctx.Metrics.Add(SecuritiesMetrics.RejectedCounter(reason));
            return;
        }
        ctx.Metrics.Series(SecuritiesMetrics.TradesExecutedSeries);
        Book(t);
        _link.Send(ctx, _ccp, new TradeReport(t), 160);
        if (t.Kind == TradeKind.Block && regime.HasInstitutionalFlow)
        {
            var institution = setup.Sheet.Members[t.Buyer].Type == MemberType.Directional ? t.Buyer : t.Seller;
            _link.Send(ctx, _members[institution], new Confirmation(t), 160);
        }
    }

    private string? Check(Trade t)
    {
        if (_state.Suspended[t.Buyer] || _state.Suspended[t.Seller]) return "suspended";
        if (!regime.FrontEndControl) return null;
        var day = setup.TradeDate(t.ExecutedAtNs);
        if (day != _state.Day)
        {
            // A new trading day: everything held is sellable again (T+1 trading rule).
            Array.Copy(_state.Holdings, _state.Sellable, _state.Holdings.Length);
            _state.Day = day;
        }
        var si = t.Seller * setup.Securities + t.Security;
        var available = setup.Rules.SameDayResaleBanned ? _state.Sellable[si] : _state.Holdings[si];
        if (available < t.Quantity) return "holdings";
        if (_state.Cash[t.Buyer] < t.Value) return "cash";
        return null;
    }

    private void Book(Trade t)
    {
        var s = setup.Securities;
        _state.Cash[t.Buyer] -= t.Value;
        _state.Cash[t.Seller] += t.Value;
        _state.Holdings[t.Seller * s + t.Security] -= t.Quantity;
        _state.Sellable[t.Seller * s + t.Security] -= t.Quantity;
        _state.Holdings[t.Buyer * s + t.Security] += t.Quantity;
        if (!setup.Rules.SameDayResaleBanned) _state.Sellable[t.Buyer * s + t.Security] += t.Quantity;
    }
}
