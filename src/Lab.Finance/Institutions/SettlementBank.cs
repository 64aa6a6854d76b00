using Lab.Finance.Securities;
using Lab.Finance.Securities.Clearing;
using Lab.Sim.Nodes;

namespace Lab.Finance.Institutions;

/// <summary>
/// The cash settlement bank (the Fed's NSS and the settling banks in the US; ChinaClear's settlement
/// banks in China): members' cash accounts, the CCP's settlement, margin, clearing-fund and capital
/// accounts. It settles the CCP's net money orders — debits first, drawing on a debtor's committed
/// credit line when its cash falls short (the funding top-up, at the funding rate), then credits
/// from the CCP's settlement account, drawing on the CCP's liquidity facility when that runs short;
/// a credit the facility cannot cover waits for the next settlement — and takes members' collateral
/// payments. Drawn lines and the facility are repaid from what is left. Durable; messages on a
/// <see cref="ReliableLink"/>.
/// </summary>
public sealed class SettlementBank(MarketSetup setup, ClearingSetup clearing, double fundingRate) : INodeBehaviour
{
    private sealed class State
    {
        public required CashLedger Ledger;
        public required long[] Drawn;
        public required long[] PeakDrawn;
        public required double[] CreditCost;      // minor units, accrued
        public required long[] Since;
        public long FacilityDrawn, FacilityPeak;
    }

    private readonly ReliableLink _link = new("bank.link");
    private State _s = null!;
    private NodeId _ccp;

    public CashLedger Ledger => _s.Ledger;
    public IReadOnlyList<long> PeakDrawn => _s.PeakDrawn;
    public IReadOnlyList<double> CreditCost => _s.CreditCost;
    public long FacilityPeak => _s.FacilityPeak;

    public void OnStart(INodeContext ctx)
    {
        _ccp = ctx.Directory.Find(MarketNames.Ccp);
        var m = setup.Members;
        _s = ctx.Storage.GetOrAdd("bank.state", () =>
        {
            var ledger = new CashLedger(setup.Accounts);
            for (int i = 0; i < m; i++) ledger.Open(i, setup.Sheet.Cash[i]);
            return new State { Ledger = ledger, Drawn = new long[m], PeakDrawn = new long[m], CreditCost = new double[m], Since = new long[m] };
        });
        _link.Start(ctx);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (!_link.TryReceive(ctx, from, message, out var body) || body is null) return;
        var a = setup.Accounts;
        var ledger = _s.Ledger;
        switch (body)
        {
            case MoneySettlementOrder o:
                Settle(ctx, o.Order);
                break;
            case PayCollateral p:
            {
                var paid = Math.Min(p.Amount, Spendable(p.Member));
                Draw(ctx, p.Member, paid);
                ledger.Transfer(p.Member, p.Account, paid);
                _link.Send(ctx, _ccp, new CollateralPosted(p.Ref, p.Member, p.Account, paid), 48);
                break;
            }
            case CashMove mv:
            {
                // The CCP's settlement account pays on its liquidity facility when it runs short (its flows are in transit).
                if (mv.From == a.CcpSettlement) DrawFacility(mv.Amount);
                var amount = a.IsExternalCash(mv.From) ? mv.Amount : Math.Min(mv.Amount, ledger[mv.From]);
                ledger.Transfer(mv.From, mv.To, amount);
                if (mv.To < setup.Members) Repay(ctx, mv.To);
                _link.Send(ctx, _ccp, new CashMoved(mv.Ref, amount), 32);
                break;
            }
        }
    }

    public void OnTimer(INodeContext ctx, object state) => _link.TryTimer(ctx, state);

    private long Spendable(int m) => _s.Ledger[m] + (setup.Sheet.CreditLine[m] - _s.Drawn[m]);

    // Draws on the member's line so that it holds at least `need`.
    private void Draw(INodeContext ctx, int m, long need)
    {
        var missing = need - _s.Ledger[m];
        if (missing <= 0) return;
        var draw = Math.Min(missing, setup.Sheet.CreditLine[m] - _s.Drawn[m]);
        if (draw <= 0) return;
        Accrue(ctx, m);
        _s.Ledger.Transfer(setup.Accounts.Outside, m, draw);
        _s.Drawn[m] += draw;
        _s.PeakDrawn[m] = Math.Max(_s.PeakDrawn[m], _s.Drawn[m]);
        ctx.Metrics.Add(SecuritiesMetrics.CreditDraws);
    }

    private void Repay(INodeContext ctx, int m)
    {
        var repay = Math.Min(_s.Drawn[m], _s.Ledger[m]);
        if (repay <= 0) return;
        Accrue(ctx, m);
        _s.Ledger.Transfer(m, setup.Accounts.Outside, repay);
        _s.Drawn[m] -= repay;
    }

    private void Accrue(INodeContext ctx, int m)
    {
        var years = (ctx.Now.Nanos - _s.Since[m]) / (365.0 * 86_400e9);
        _s.CreditCost[m] += _s.Drawn[m] * fundingRate * years;
        _s.Since[m] = ctx.Now.Nanos;
    }

    // Tops the CCP's settlement account up to `need` from its liquidity facility, within the facility's limit.
    private void DrawFacility(long need)
    {
        var a = setup.Accounts;
        var draw = Math.Min(need - _s.Ledger[a.CcpSettlement], clearing.LiquidityFacility - _s.FacilityDrawn);
        if (draw <= 0) return;
        _s.Ledger.Transfer(a.Facility, a.CcpSettlement, draw);
        _s.FacilityDrawn += draw;
        _s.FacilityPeak = Math.Max(_s.FacilityPeak, _s.FacilityDrawn);
    }

    private void Settle(INodeContext ctx, MoneyOrder order)
    {
        var a = setup.Accounts;
        var ledger = _s.Ledger;
        var n = setup.Members;
        var settled = new bool[n + 1];
        var shortfall = new long[n + 1];
        // Debits: each debtor pays in full (drawing on its line) or not at all.
        for (int m = 0; m <= n; m++)
        {
            var net = order.Net[m];
            if (net >= 0) continue;
            if (m == n) { ledger.Transfer(a.CashStreet, a.CcpSettlement, -net); settled[m] = true; continue; }
            Draw(ctx, m, -net);
            if (ledger[m] >= -net) { ledger.Transfer(m, a.CcpSettlement, -net); settled[m] = true; }
            else shortfall[m] = -net - ledger[m];
        }
        // Credits: from the settlement account, then the liquidity facility; what neither covers waits.
        for (int m = 0; m <= n; m++)
        {
            var net = order.Net[m];
            if (net < 0) continue;
            if (net == 0) { settled[m] = true; continue; }
            DrawFacility(net);
            if (ledger[a.CcpSettlement] < net) continue;
            ledger.Transfer(a.CcpSettlement, m == n ? a.CashStreet : m, net);
            settled[m] = true;
        }
        for (int m = 0; m < n; m++) Repay(ctx, m);
        var repayFacility = Math.Min(_s.FacilityDrawn, ledger[a.CcpSettlement]);
        if (repayFacility > 0)
        {
            ledger.Transfer(a.CcpSettlement, a.Facility, repayFacility);
            _s.FacilityDrawn -= repayFacility;
        }
        _link.Send(ctx, _ccp, new MoneySettlementReport(order.Day, settled, shortfall, _s.FacilityPeak), 32 + 9 * (n + 1));
    }
}
