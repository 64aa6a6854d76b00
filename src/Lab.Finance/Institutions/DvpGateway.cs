using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Securities;
using Lab.Ledger.Contracts;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Institutions;

/// <summary>
/// The exchange on chain: each matched trade goes to the DvP contract as it executes ("trade is
/// settlement"), or, with a netting window W, the window's trades go as one net batch at the end of
/// the window. A trade settles when its transaction is final under the chain's finality rule.
/// Pre-funding failures are rejected for good or queued and retried, as configured, and counted.
/// Submits through the chain's shared client (<see cref="FinalityTracker"/>), which records the standard
/// <c>submitted_tx</c>, <c>committed_tx</c> and <c>commit_latency_s</c>; its durable submission log lets
/// the validity checker confirm every settled transaction was really sent by the exchange.
/// </summary>
public sealed class DvpGateway(TradeTape tape, OnChainSettlement settlement, FinalityTracker client, long horizonNs) : TapeReplay(tape), ISettlementLog, ITransactionSource
{
    private sealed record WindowClose;
    private sealed record QueueRetry;

    private SortedDictionary<TxId, (Transaction Tx, IReadOnlyList<Trade> Trades)> _inFlight = [];
    private readonly List<Trade> _window = [];
    private readonly SortedDictionary<int, Trade> _queue = [];
    private SettlementRecords _records = new(0);
    private bool _retryArmed;

    public long[] SettledAtNs => _records.SettledAtNs;
    public bool[] FailedOnce => _records.FailedOnce;
    public long[] CancelledAtNs => _records.CancelledAtNs;
    public int Queued => _queue.Count;
    public SubmissionLog? Submissions => client.Submissions;

    public override void OnStart(INodeContext ctx)
    {
        _records = ctx.Storage.GetOrAdd("gateway.records", () => new SettlementRecords(Tape.Trades.Count));
        _inFlight = ctx.Storage.GetOrAdd("gateway.in-flight", () => new SortedDictionary<TxId, (Transaction, IReadOnlyList<Trade>)>());
        client.OnStart(ctx);
        client.Finalized = OnFinal;
        // After a crash: resubmit what was in flight under the same ids. The chain executes each at most
        // once and answers a resubmission with its first outcome, so no trade is lost or settled twice.
        foreach (var (tx, _) in _inFlight.Values) client.Resubmit(ctx, tx);
        if (settlement.NettingWindow > Duration.Zero) ScheduleWindow(ctx);
        base.OnStart(ctx);
    }

    protected override void OnTrade(INodeContext ctx, Trade trade)
    {
        if (settlement.NettingWindow > Duration.Zero) { _window.Add(trade); return; }
        Submit(ctx, DvpContract.SettleCall(DvpInstruction.Of(trade)), [trade], settlement.TransactionBytes);
    }

    public override void OnMessage(INodeContext ctx, NodeId from, object message) => client.OnMessage(ctx, from, message);

    public override void OnTimer(INodeContext ctx, object state)
    {
        switch (state)
        {
            case WindowClose:
                var batch = _queue.Values.Concat(_window).OrderBy(t => t.Index).ToList();
                _queue.Clear();
                _window.Clear();
                if (batch.Count > 0) SubmitBatch(ctx, batch, net: true);
                ScheduleWindow(ctx);
                break;
            case QueueRetry:
                _retryArmed = false;
                if (_queue.Count > 0)
                {
                    var retry = _queue.Values.ToList();
                    _queue.Clear();
                    SubmitBatch(ctx, retry, net: false);
                }
                break;
            default:
                if (!client.OnTimer(ctx, state)) base.OnTimer(ctx, state);
                break;
        }
    }

    private void SubmitBatch(INodeContext ctx, List<Trade> trades, bool net) =>
        Submit(ctx, DvpContract.BatchCall(new DvpBatch(trades.Select(DvpInstruction.Of).ToList(), net)), trades, 64 + settlement.TransactionBytes / 2 * trades.Count);

    private void Submit(INodeContext ctx, ContractCall call, IReadOnlyList<Trade> trades, int bytes)
    {
        var tx = client.Submit(ctx, bytes, call);
        _inFlight[tx.Id] = (tx, trades);
    }

    private void OnFinal(INodeContext ctx, Finality f)
    {
        if (!_inFlight.Remove(f.Tx.Id, out var entry)) return;
        var trades = entry.Trades;
        if (f.Tx.Payload is ContractCall { Method: "settle" })
        {
            var t = trades[0];
            if (f.Outcome.Accepted) Settled(ctx, t);
            else Unsettled(ctx, t, f.Outcome.Reason);
            return;
        }
        if (!f.Outcome.Accepted)
        {
            foreach (var t in trades) Unsettled(ctx, t, f.Outcome.Reason);
            return;
        }
        var unsettled = DvpContract.ParseUnsettled(f.Outcome.Reason).ToHashSet();
        foreach (var t in trades)
        {
            if (unsettled.Contains(t.Index)) Unsettled(ctx, t, "prefunding: not covered in the batch");
            else Settled(ctx, t);
        }
    }

    private void Settled(INodeContext ctx, Trade t)
    {
        if (_records.SettledAtNs[t.Index] >= 0) return;
        _records.SettledAtNs[t.Index] = ctx.Now.Nanos;
        ctx.Metrics.Sample(SecuritiesMetrics.SettlementTime, (ctx.Now.Nanos - t.ExecutedAtNs) / 1e9);
        ctx.Metrics.Add(SecuritiesMetrics.TradesSettled);
    }

    private void Unsettled(INodeContext ctx, Trade t, string? reason)
    {
        var prefunding = reason?.StartsWith("prefunding", StringComparison.Ordinal) == true;
        if (!_records.FailedOnce[t.Index])
        {
            _records.FailedOnce[t.Index] = true;
            ctx.Metrics.Add(SecuritiesMetrics.SettlementFails);
            ctx.Metrics.Add(SecuritiesMetrics.SettlementFailsValue, t.Value / 100.0);
            if (prefunding) ctx.Metrics.Add(SecuritiesMetrics.RejectedPrefunding);
            else ctx.Metrics.Note("settlement-rejected", $"trade {t.Index} rejected: {reason}");
        }
        if (settlement.Prefunding == PrefundingPolicy.Reject || !prefunding)
        {
            // A rejected trade is cancelled: it no longer counts as unsettled exposure.
            if (_records.CancelledAtNs[t.Index] < 0) _records.CancelledAtNs[t.Index] = ctx.Now.Nanos;
            return;
        }
        _queue[t.Index] = t;
        if (settlement.NettingWindow == Duration.Zero && !_retryArmed && ctx.Now.Nanos + settlement.QueueRetry.Nanos <= horizonNs)
        {
            _retryArmed = true;
            ctx.SetTimer(settlement.QueueRetry, new QueueRetry());
        }
    }

    private void ScheduleWindow(INodeContext ctx)
    {
        var w = settlement.NettingWindow.Nanos;
        var next = (ctx.Now.Nanos / w + 1) * w;
        if (next <= horizonNs) ctx.SetTimer(Duration.FromNanos(next - ctx.Now.Nanos), new WindowClose());
    }
}
