using Lab.Finance.Calendars;
using Lab.Finance.Securities;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Institutions;

/// <summary>
/// The central counterparty under T+n. It captures trades, collects affirmations, and at each
/// business day's affirmation cut-off closes a netting cycle: the affirmed trades become obligations
/// due on T+n (counted in settlement days, so weekends and holidays push the date out). On each
/// settlement date it hands the due obligations, plus fails rolled from the previous date, to the
/// CSD's batch. Netting statistics per cycle go to the metrics and the regulator.
/// </summary>
public sealed class Ccp(MarketNames names, BusinessCalendar calendar, RunClock clock, DeferredNetSettlement settlement, long horizonNs) : INodeBehaviour
{
    private sealed record CycleClose(DateOnly Day);
    private sealed record BatchTime(DateOnly Day);

    private SortedDictionary<DateOnly, List<Trade>> _due = [];
    private List<Trade> _affirmed = [];
    private NodeId _csd, _regulator;

    public void OnStart(INodeContext ctx)
    {
        _csd = ctx.Directory.Find(MarketNames.Csd);
        _regulator = ctx.Directory.Find(MarketNames.Regulator);
        _due = ctx.Storage.GetOrAdd("ccp.due", () => new SortedDictionary<DateOnly, List<Trade>>());
        _affirmed = ctx.Storage.GetOrAdd("ccp.affirmed", () => new List<Trade>());
        ScheduleCycle(ctx, clock.LocalDate(ctx.Now, calendar));
        ScheduleBatch(ctx, clock.LocalDate(ctx.Now, calendar));
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        switch (message)
        {
            case TradeCaptured:
                ctx.Metrics.Add("trades_captured");
                break;
            case Affirmation a:
                _affirmed.Add(a.Trade);
                ctx.Metrics.Add("trades_affirmed");
                break;
            case SettlementReport r when r.Failed.Count > 0:
                var next = calendar.NextSettlementDay(r.Date);
                Due(next).AddRange(r.Failed);
                break;
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        switch (state)
        {
            case CycleClose c:
                CloseCycle(ctx, c.Day);
                ScheduleCycle(ctx, c.Day.AddDays(1));
                break;
            case BatchTime b:
                if (_due.Remove(b.Day, out var trades) && trades.Count > 0)
                {
                    trades.Sort((x, y) => x.Index.CompareTo(y.Index));
                    ctx.Send(_csd, new SettlementBatch(b.Day, trades), 64 + 48 * trades.Count);
                }
                ScheduleBatch(ctx, b.Day.AddDays(1));
                break;
        }
    }

    private List<Trade> Due(DateOnly day)
    {
        if (!_due.TryGetValue(day, out var list)) _due[day] = list = [];
        return list;
    }

    private void CloseCycle(INodeContext ctx, DateOnly day)
    {
        if (_affirmed.Count == 0) return;
        var cycle = _affirmed.OrderBy(t => t.Index).ToList();
        _affirmed.Clear();
        var due = calendar.SettlementDate(day, settlement.CycleDays);
        Due(due).AddRange(cycle);
        var net = MultilateralNetting.Net(cycle, names.Members, names.Securities);
        ctx.Metrics.Add("netting_gross_value", net.GrossValue / 100.0);
        ctx.Metrics.Add("netting_net_cash", net.NetCashPaid / 100.0);
        ctx.Metrics.Add("netting_gross_shares", net.GrossQuantity);
        ctx.Metrics.Add("netting_net_shares", net.NetSharesDelivered);
        ctx.Metrics.Sample("netting_efficiency_cycle", net.CashNettingEfficiency);
        ctx.Send(_regulator, new RegulatoryReport(MarketNames.Ccp, day, "netting", cycle.Count, net.GrossValue, net.NetCashPaid, 0), 128);
    }

    /// <summary>Timer for the first business day ≥ <paramref name="from"/> whose cut-off is still ahead.</summary>
    private void ScheduleCycle(INodeContext ctx, DateOnly from)
    {
        for (var d = from; ; d = d.AddDays(1))
        {
            if (!calendar.IsBusinessDay(d)) continue;
            var at = clock.NanosAt(d, calendar.AffirmationCutoff, calendar);
            if (at > horizonNs) return;
            if (at < ctx.Now.Nanos) continue;
            ctx.SetTimer(Duration.FromNanos(at - ctx.Now.Nanos), new CycleClose(d));
            return;
        }
    }

    private void ScheduleBatch(INodeContext ctx, DateOnly from)
    {
        for (var d = from; ; d = d.AddDays(1))
        {
            if (!calendar.IsSettlementDay(d)) continue;
            var at = BatchNanos(d);
            if (at > horizonNs) return;
            if (at < ctx.Now.Nanos) continue;
            ctx.SetTimer(Duration.FromNanos(at - ctx.Now.Nanos), new BatchTime(d));
            return;
        }
    }

    private long BatchNanos(DateOnly d) => settlement.CycleDays == 0
        ? clock.NanosAt(d, calendar.AffirmationCutoff, calendar) + settlement.SameDayBatchDelay.Nanos
        : clock.NanosAt(d, settlement.BatchAt ?? calendar.SettlementBatchAt, calendar);
}
