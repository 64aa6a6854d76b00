using Lab.Finance.Securities;
using Lab.Finance.Securities.Clearing;
using Lab.Finance.Securities.Market;
using Lab.Sim.Nodes;

namespace Lab.Finance.Institutions;

/// <summary>
/// The central securities depository: members' securities accounts, the CCP's account, the agent
/// lenders' pool and the street. It executes the CCP's delivery runs (partial deliveries allowed;
/// a member in an operational outage, or whose settlement instruction for the position failed for
/// that settlement date, delivers nothing), buy-ins (the street delivers into the CCP's account) and reversals after a
/// default; and lends shares to members who ask, when the pool has them, after the lenders'
/// processing delay (business hours). State is durable; messages travel on a <see cref="ReliableLink"/>.
/// </summary>
public sealed class Csd(MarketSetup setup, ClearingSetup clearing) : INodeBehaviour
{
    private sealed record Lend(int Member, int Security, long Short);

    private sealed class State
    {
        public required SecuritiesLedger Ledger;
        public readonly Dictionary<(int Member, int Security, DateOnly Day), bool> InstructionFailed = [];
        public readonly List<(int Member, int Security, long Quantity, long AtNs, long Price)> Borrowed = [];
    }

    private readonly ReliableLink _link = new("csd.link");
    private readonly Agenda _agenda = new("csd.agenda");
    private State _s = null!;
    private NodeId _ccp, _regulator;

    public SecuritiesLedger Ledger => _s.Ledger;
    public IReadOnlyList<(int Member, int Security, long Quantity, long AtNs, long Price)> Borrowed => _s.Borrowed;

    public void OnStart(INodeContext ctx)
    {
        _ccp = ctx.Directory.Find(MarketNames.Ccp);
        _regulator = ctx.Directory.Find(MarketNames.Regulator);
        _s = ctx.Storage.GetOrAdd("csd.state", () => new State { Ledger = OpenLedger(setup, clearing.LendableShare) });
        _link.Start(ctx);
        _agenda.Start(ctx);
    }

    /// <summary>Members' opening holdings, and the lenders' pool, issued from the street.</summary>
    public static SecuritiesLedger OpenLedger(MarketSetup setup, double lendableShare)
    {
        var accounts = setup.Accounts;
        var ledger = new SecuritiesLedger(accounts, setup.Securities);
        for (int s = 0; s < setup.Securities; s++)
        {
            long total = 0;
            for (int m = 0; m < setup.Members; m++)
            {
                var q = setup.Sheet.Holdings[m * setup.Securities + s];
                ledger.Open(m, s, q);
                total += q;
            }
            ledger.Open(accounts.LendingPool, s, (long)(total * lendableShare));
        }
        return ledger;
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (!_link.TryReceive(ctx, from, message, out var body) || body is null) return;
        var ledger = _s.Ledger;
        var a = setup.Accounts;
        switch (body)
        {
            case DeliveryOrder o:
            {
                // An instruction fails for a settlement date: the night cycle and every recycle for that date see the same draw.
                var now = ctx.Now.Nanos;
                var result = o.Run.Execute(ledger, (m, s) => setup.Outages.IsOut(m, now) || InstructionFailed(ctx, m, s, o.Run.Day));
                _link.Send(ctx, _ccp, new DeliveryReport(result), 32 + 8 * o.Run.Lines);
                break;
            }
            case BuyInOrder b:
                foreach (var l in b.Lines) ledger.Transfer(a.Street, a.Ccp, l.Security, l.Quantity);
                _link.Send(ctx, _ccp, new BuyInReport(b.Ref), 32);
                break;
            case ReversalOrder r:
            {
                var returned = new long[r.Lines.Count];
                for (int i = 0; i < r.Lines.Count; i++)
                {
                    var l = r.Lines[i];
                    var q = Math.Min(l.Quantity, ledger.Held(r.Member, l.Security));
                    if (q > 0 && ledger.Transfer(r.Member, a.Ccp, l.Security, q)) returned[i] = q;
                }
                _link.Send(ctx, _ccp, new ReversalReport(r.Ref, returned), 32 + 8 * returned.Length);
                break;
            }
            case BorrowRequest req:
                _agenda.Add(ctx, LendersServe(ctx.Now.Nanos), new Lend(req.Member, req.Security, req.Short));
                break;
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_link.TryTimer(ctx, state)) return;
        if (!_agenda.TryTimer(ctx, state, out var due)) return;
        foreach (var x in due)
            if (x is Lend lend) Serve(ctx, lend);
    }

    private bool InstructionFailed(INodeContext ctx, int member, int security, DateOnly day)
    {
        if (clearing.InstructionFailRate <= 0) return false;
        if (!_s.InstructionFailed.TryGetValue((member, security, day), out var failed))
            _s.InstructionFailed[(member, security, day)] = failed = ctx.Random.NextDouble() < clearing.InstructionFailRate;
        return failed;
    }

    // Lenders work business hours: a request is served after the delay, not before 07:00 local on a business day.
    private long LendersServe(long nowNs)
    {
        var cal = setup.Calendar;
        var at = nowNs + clearing.BorrowDelay.Nanos;
        var day = setup.LocalDate(at);
        var open = setup.At(day, new TimeOnly(7, 0));
        var close = setup.At(day, new TimeOnly(18, 0));
        if (cal.IsBusinessDay(day) && at >= open && at <= close) return at;
        var next = at < open && cal.IsBusinessDay(day) ? day : cal.NextBusinessDay(day);
        return setup.At(next, new TimeOnly(7, 0)) + clearing.BorrowDelay.Nanos;
    }

    private void Serve(INodeContext ctx, Lend lend)
    {
        var ledger = _s.Ledger;
        var a = setup.Accounts;
        var need = lend.Short - ledger.Held(lend.Member, lend.Security);
        if (need <= 0) return;
        ctx.Metrics.Add(SecuritiesMetrics.BorrowRequests);
        if (ctx.Random.NextDouble() >= clearing.BorrowAvailability) { ctx.Metrics.Add(SecuritiesMetrics.BorrowNotFound); return; }
        var q = Math.Min(need, ledger.Held(a.LendingPool, lend.Security));
        if (q <= 0 || !ledger.Transfer(a.LendingPool, lend.Member, lend.Security, q)) { ctx.Metrics.Add(SecuritiesMetrics.BorrowNotFound); return; }
        _s.Borrowed.Add((lend.Member, lend.Security, q, ctx.Now.Nanos, setup.Prices.MidMinor(lend.Security, ctx.Now.Nanos)));
        ctx.Metrics.Add(SecuritiesMetrics.Borrows);
    }
}
