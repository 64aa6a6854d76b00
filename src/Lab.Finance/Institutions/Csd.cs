using Lab.Finance.Securities;
using Lab.Sim.Nodes;

namespace Lab.Finance.Institutions;

/// <summary>
/// The central securities depository: keeps members' security accounts and runs the settlement
/// batch. For each batch it asks the settlement bank for members' cash, settles what can be
/// covered under the configured DvP model (model 3 by default), posts the net cash movements back
/// to the bank, and reports fails to the CCP (they roll to the next settlement date).
/// </summary>
public sealed class Csd(MarketNames names, OpeningPositions opening, DeferredNetSettlement settlement, int trades) : INodeBehaviour, ISettlementLog
{
    private long[] _holdings = [];
    private SettlementRecords _records = new(0);
    private bool[] _attempted = [];
    private readonly Dictionary<DateOnly, IReadOnlyList<Trade>> _pending = [];
    private NodeId _bank, _ccp, _regulator;

    public long[] SettledAtNs => _records.SettledAtNs;
    public bool[] FailedOnce => _records.FailedOnce;
    public long[] CancelledAtNs => _records.CancelledAtNs;
    public IReadOnlyList<long> Holdings => _holdings;

    public void OnStart(INodeContext ctx)
    {
        _bank = ctx.Directory.Find(MarketNames.Bank);
        _ccp = ctx.Directory.Find(MarketNames.Ccp);
        _regulator = ctx.Directory.Find(MarketNames.Regulator);
        _holdings = ctx.Storage.GetOrAdd("csd.holdings", () => opening.Holdings.ToArray());
        _records = ctx.Storage.GetOrAdd("csd.records", () => new SettlementRecords(trades));
        _attempted = ctx.Storage.GetOrAdd("csd.attempted", () => new bool[trades]);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        switch (message)
        {
            case SettlementBatch b:
                _pending[b.Date] = b.Trades;
                ctx.Send(_bank, new FundingRequest(b.Date), 32);
                break;
            case FundingReport f when _pending.Remove(f.Date, out var batch):
                Settle(ctx, f.Date, batch, f.Cash);
                break;
        }
    }

    public void OnTimer(INodeContext ctx, object state) { }

    private void Settle(INodeContext ctx, DateOnly date, IReadOnlyList<Trade> batch, IReadOnlyList<long> cash)
    {
        var rate = settlement.ExogenousFailRate;
        var outcome = MultilateralNetting.Settle(batch, cash, _holdings, names.Securities, settlement.Model,
            rate > 0 ? t => !_attempted[t.Index] && t.FailDraw < rate : null);
        foreach (var t in batch)
        {
            if (_attempted[t.Index]) continue;
            ctx.Metrics.Add("settlement_attempted");
            ctx.Metrics.Add("settlement_attempted_value", t.Value / 100.0);
        }
        foreach (var t in outcome.Failed)
        {
            if (_attempted[t.Index]) { ctx.Metrics.Add("settlement_fails_rolled"); continue; }
            _records.FailedOnce[t.Index] = true;
            ctx.Metrics.Add(SecuritiesMetrics.SettlementFails);
            ctx.Metrics.Add(SecuritiesMetrics.SettlementFailsValue, t.Value / 100.0);
        }
        foreach (var t in batch) _attempted[t.Index] = true;
        for (int k = 0; k < _holdings.Length; k++) _holdings[k] += outcome.NetSecurities[k];
        ctx.Send(_bank, new CashPostings(date, outcome.NetCash), 16 + 8 * outcome.NetCash.Count);
        foreach (var t in outcome.Settled)
        {
            _records.SettledAtNs[t.Index] = ctx.Now.Nanos;
            ctx.Metrics.Sample(SecuritiesMetrics.SettlementTime, (ctx.Now.Nanos - t.ExecutedAtNs) / 1e9);
            ctx.Metrics.Add(SecuritiesMetrics.TradesSettled);
        }
        ctx.Metrics.Add("settlement_batches");
        ctx.Send(_ccp, new SettlementReport(date, outcome.Failed), 64 + 8 * outcome.Failed.Count);
        ctx.Send(_regulator, new RegulatoryReport(MarketNames.Csd, date, "settlement", outcome.Settled.Count, outcome.GrossValue, outcome.NetCashPaid, outcome.Failed.Count), 128);
    }
}
