using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Securities;
using Lab.Finance.Securities.Clearing;
using Lab.Finance.Securities.Market;
using Lab.Ledger.Contracts;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Institutions;

/// <summary>
/// The exchange on chain: an atomic venue. At order entry it checks the buyer's wallet cash and the
/// seller's shares against its view of the chain's balances (everything final, less what open orders
/// have locked) and locks them; an order it cannot cover is rejected there, and the member may draw
/// on its credit line for the next ones. A matched trade goes to the DvP contract at once ("trade is
/// settlement") or, with a netting window W, in the window's net batch at the window's end (windows
/// aligned to local midnight in the market's zone; entry then checks the member's window net).
/// Because balances were locked, a matched trade is never cancelled afterwards (a refusal by the
/// contract would be counted as <see cref="SecuritiesMetrics.LockedButRefused"/>). Members in an
/// operational outage cannot sign orders; a member declared insolvent is frozen (its orders are
/// rejected; nothing it settled is undone). Credit is drawn before the day from what the member drew
/// the day before, on request after a rejection (within bank hours, after a delay), and repaid after
/// the close. State is durable; a crash resubmits what was in flight under the same ids.
/// Submits through the chain's shared client (<see cref="FinalityTracker"/>), which records the standard
/// <c>submitted_tx</c>, <c>committed_tx</c> and <c>commit_latency_s</c>; its durable submission log lets the
/// validity checker confirm that every settled transaction was really sent by the exchange.
/// </summary>
public sealed class DvpGateway(MarketSetup setup, OnChainSettlement settlement, FinalityTracker client, IReadOnlyList<(int Member, long AtNs)> frozen)
    : TapeReplay(setup.Tape), ISettlementLog, ITransactionSource
{
    private sealed record WindowClose;
    private sealed record MorningFunding(DateOnly Day);
    private sealed record EveningRepay(DateOnly Day);
    private sealed record TopUpDue(int Member, long Amount);

    private sealed record Pending(Transaction Tx, IReadOnlyList<Trade> Trades, FundInstruction? Fund);

    private sealed class State
    {
        public required long[] Cash, Shares, LockedCash, LockedShares, CreditLeft, Drawn, DrawnToday, DrawnYesterday;
        public required TradeRecord[] Records;
        public required bool[] Rejected;
        public required bool[] TopUpPending;
        public required double[] CreditCost;
        public required long[] Since;
        public readonly SortedDictionary<TxId, Pending> InFlight = [];
        public readonly List<Trade> Window = [];
        public long[] WindowCash = [], WindowShares = [];
    }

    private readonly Agenda _agenda = new("gateway.agenda");
    private readonly ReliableLink _link = new("gateway.link");
    private State _s = null!;
    private NodeId[] _members = [];

    public TradeRecord[]? Records => _s.Records;
    bool[]? ISettlementLog.Rejected => _s.Rejected;
    public IReadOnlyList<long> PeakDrawn { get; private set; } = [];
    public IReadOnlyList<double> CreditCost => _s.CreditCost;
    public SubmissionLog? Submissions => client.Submissions;

    private int M => setup.Members;
    private int S => setup.Securities;
    private bool Windowed => settlement.NettingWindow > Duration.Zero;

    public override void OnStart(INodeContext ctx)
    {
        _members = Enumerable.Range(0, M).Select(m => ctx.Directory.Find(setup.Names.Member(m))).ToArray();
        _s = ctx.Storage.GetOrAdd("gateway.state", () =>
        {
            var genesis = OnChainGenesis.Of(setup, settlement);
            return new State
            {
                Cash = [.. genesis.Cash], Shares = [.. genesis.Shares], CreditLeft = [.. setup.Sheet.CreditLine],
                LockedCash = new long[M], LockedShares = new long[M * S], Drawn = new long[M], DrawnToday = new long[M], DrawnYesterday = new long[M],
                Records = Enumerable.Range(0, setup.Tape.Trades.Count).Select(_ => new TradeRecord()).ToArray(),
                Rejected = new bool[setup.Tape.Trades.Count], TopUpPending = new bool[M], CreditCost = new double[M], Since = new long[M],
                WindowCash = new long[M], WindowShares = new long[M * S],
            };
        });
        PeakDrawn = _peak = ctx.Storage.GetOrAdd("gateway.peak-drawn", () => new long[M]);
        client.OnStart(ctx);
        client.Finalized = OnFinal;
        _link.Start(ctx);
        // After a crash: resubmit what was in flight under the same ids. The chain executes each at most once and
        // answers a resubmission with its first outcome, so no trade is lost or settled twice.
        foreach (var p in _s.InFlight.Values) client.Resubmit(ctx, p.Tx);
        _agenda.Start(ctx, () => PlanDay(ctx, setup.LocalDate(ctx.Now.Nanos)));
        if (Windowed) ScheduleWindow(ctx);
        base.OnStart(ctx);
    }

    private long[] _peak = [];

    // ---- order entry ----------------------------------------------------------------------------

    protected override void OnOrder(INodeContext ctx, Trade t)
    {
        var reason = Check(ctx, t);
        if (reason is not null)
        {
            _s.Rejected[t.Index] = true;
            _s.Records[t.Index].Rejected = true;
            ctx.Metrics.Add(SecuritiesMetrics.TradesRejected);
            ctx.Metrics.Add(SecuritiesMetrics.RejectedCounter(reason));
            if (reason == "cash" && !_s.TopUpPending[t.Buyer])
                _link.Send(ctx, _members[t.Buyer], new WalletShort(t.Value - Available(t.Buyer)), 32);
            return;
        }
        ctx.Metrics.Series(SecuritiesMetrics.TradesExecutedSeries);
        var si = t.Seller * S + t.Security;
        if (Windowed)
        {
            _s.Window.Add(t);
            _s.WindowCash[t.Buyer] -= t.Value;
            _s.WindowCash[t.Seller] += t.Value;
            _s.WindowShares[si] -= t.Quantity;
            _s.WindowShares[t.Buyer * S + t.Security] += t.Quantity;
            return;
        }
        _s.LockedCash[t.Buyer] += t.Value;
        _s.LockedShares[si] += t.Quantity;
        Submit(ctx, DvpContract.SettleCall(Instruction(t)), [t], null, settlement.TransactionBytes);
    }

    /// <summary>The DvP instruction, with its trade record sealed for the trade's private collection when privacy is on.</summary>
    private DvpInstruction Instruction(Trade t)
    {
        var i = DvpInstruction.Of(t);
        return settlement.Privacy is { } p ? i with { Record = p.Seal(i) } : i;
    }

    private long Available(int m) => _s.Cash[m] - _s.LockedCash[m] + (Windowed ? _s.WindowCash[m] : 0);

    private string? Check(INodeContext ctx, Trade t)
    {
        var now = ctx.Now.Nanos;
        foreach (var (m, at) in frozen)
            if ((m == t.Buyer || m == t.Seller) && now >= at) return "frozen";
        if (setup.Outages.IsOut(t.Buyer, now) || setup.Outages.IsOut(t.Seller, now)) return "outage";
        var si = t.Seller * S + t.Security;
        var shares = _s.Shares[si] - _s.LockedShares[si] + (Windowed ? _s.WindowShares[si] : 0);
        if (shares < t.Quantity) return "holdings";
        if (Available(t.Buyer) < t.Value) return "cash";
        return null;
    }

    // ---- chain ----------------------------------------------------------------------------------

    private void Submit(INodeContext ctx, ContractCall call, IReadOnlyList<Trade> trades, FundInstruction? fund, int bytes)
    {
        var tx = client.Submit(ctx, bytes, call);
        _s.InFlight[tx.Id] = new Pending(tx, trades, fund);
        foreach (var t in trades)
            if (_s.Records[t.Index].SubmittedAtNs < 0) _s.Records[t.Index].SubmittedAtNs = ctx.Now.Nanos;
    }

    public override void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (_link.TryReceive(ctx, from, message, out var body))
        {
            if (body is TopUpRequest r) RequestTopUp(ctx, r.Member, r.Amount);
            return;
        }
        client.OnMessage(ctx, from, message);
    }

    public override void OnTimer(INodeContext ctx, object state)
    {
        if (_link.TryTimer(ctx, state)) return;
        if (_agenda.TryTimer(ctx, state, out var due))
        {
            foreach (var x in due) Do(ctx, x);
            return;
        }
        switch (state)
        {
            case WindowClose:
                CloseWindow(ctx);
                ScheduleWindow(ctx);
                break;
            default:
                if (!client.OnTimer(ctx, state)) base.OnTimer(ctx, state);
                break;
        }
    }

    private void CloseWindow(INodeContext ctx)
    {
        if (_s.Window.Count == 0) return;
        var batch = _s.Window.OrderBy(t => t.Index).ToList();
        // The window's net debits and deliveries are locked until the batch is final.
        for (int m = 0; m < M; m++) if (_s.WindowCash[m] < 0) _s.LockedCash[m] -= _s.WindowCash[m];
        for (int k = 0; k < M * S; k++) if (_s.WindowShares[k] < 0) _s.LockedShares[k] -= _s.WindowShares[k];
        _s.Window.Clear();
        Array.Clear(_s.WindowCash);
        Array.Clear(_s.WindowShares);
        Submit(ctx, DvpContract.BatchCall(new DvpBatch(batch.Select(Instruction).ToList())), batch, null, 64 + settlement.TransactionBytes / 2 * batch.Count);
    }

    private void OnFinal(INodeContext ctx, Finality f)
    {
        if (!_s.InFlight.Remove(f.Tx.Id, out var p)) return;
        if (p.Fund is { } fund) { Funded(ctx, fund, f.Outcome.Accepted); return; }
        if (!f.Outcome.Accepted)
        {
            // The venue's view was wrong: a locked, matched trade the contract would not settle. Never expected.
            ctx.Metrics.Add(SecuritiesMetrics.LockedButRefused, p.Trades.Count);
            ctx.Metrics.Note(SecuritiesMetrics.RefusedFinding, $"{p.Trades.Count} locked trade(s) refused by the contract: {f.Outcome.Reason}");
            Release(p.Trades, settled: false);
            return;
        }
        Release(p.Trades, settled: true);
        foreach (var t in p.Trades)
        {
            var r = _s.Records[t.Index];
            r.BuyFinalNs = r.SellFinalNs = r.SecuritiesDoneNs = ctx.Now.Nanos;
        }
    }

    // Locks become balance changes once final (or are released if the contract refused).
    private void Release(IReadOnlyList<Trade> trades, bool settled)
    {
        if (!Windowed)
        {
            var t = trades[0];
            _s.LockedCash[t.Buyer] -= t.Value;
            _s.LockedShares[t.Seller * S + t.Security] -= t.Quantity;
            if (!settled) return;
            Apply(t);
            return;
        }
        var cash = new long[M];
        var shares = new long[M * S];
        foreach (var t in trades)
        {
            cash[t.Buyer] -= t.Value; cash[t.Seller] += t.Value;
            shares[t.Seller * S + t.Security] -= t.Quantity; shares[t.Buyer * S + t.Security] += t.Quantity;
        }
        for (int m = 0; m < M; m++) if (cash[m] < 0) _s.LockedCash[m] += cash[m];
        for (int k = 0; k < M * S; k++) if (shares[k] < 0) _s.LockedShares[k] += shares[k];
        if (!settled) return;
        for (int m = 0; m < M; m++) _s.Cash[m] += cash[m];
        for (int k = 0; k < M * S; k++) _s.Shares[k] += shares[k];
    }

    private void Apply(Trade t)
    {
        _s.Cash[t.Buyer] -= t.Value;
        _s.Cash[t.Seller] += t.Value;
        _s.Shares[t.Seller * S + t.Security] -= t.Quantity;
        _s.Shares[t.Buyer * S + t.Security] += t.Quantity;
    }

    // ---- funding --------------------------------------------------------------------------------

    private void PlanDay(INodeContext ctx, DateOnly day)
    {
        var cal = setup.Calendar;
        if (cal.IsBusinessDay(day))
        {
            // Planned late (the gateway was down at midnight), what is past runs now.
            var morning = setup.At(day, BankOpen);
            if (morning <= setup.HorizonNs) _agenda.Add(ctx, Math.Max(morning, ctx.Now.Nanos), new MorningFunding(day));
            var evening = setup.At(day, cal.CloseOn(day)) + Duration.FromMinutes(30).Nanos;
            if (evening <= setup.HorizonNs) _agenda.Add(ctx, Math.Max(evening, ctx.Now.Nanos), new EveningRepay(day));
        }
        var next = setup.Clock.MidnightNanos(day.AddDays(1), cal);
        if (next <= setup.HorizonNs) _agenda.Add(ctx, next, new NextDay(day.AddDays(1)));
    }

    private sealed record NextDay(DateOnly Day);

    private static readonly TimeOnly BankOpen = new(9, 0);
    private static readonly TimeOnly BankClose = new(17, 0);

    private void Do(INodeContext ctx, object activity)
    {
        switch (activity)
        {
            case NextDay n: PlanDay(ctx, n.Day); break;
            case MorningFunding:
                // Before trading: draw what the member needed yesterday (its own history, not the day's orders).
                for (int m = 0; m < M; m++)
                {
                    var want = Math.Min(_s.DrawnYesterday[m], _s.CreditLeft[m]);
                    _s.DrawnToday[m] = 0;
                    if (want > 0 && settlement.MorningFunding) Draw(ctx, m, want);
                }
                break;
            case EveningRepay:
                for (int m = 0; m < M; m++)
                {
                    _s.DrawnYesterday[m] = _s.DrawnToday[m];
                    var repay = Math.Min(_s.Drawn[m], Math.Max(0, Available(m)));
                    if (repay > 0 && !_s.TopUpPending[m]) Submit(ctx, DvpContract.FundCall(new FundInstruction(m, -repay)), [], new FundInstruction(m, -repay), 128);
                }
                break;
            case TopUpDue d:
                Draw(ctx, d.Member, d.Amount);
                break;
        }
    }

    private void RequestTopUp(INodeContext ctx, int m, long needed)
    {
        if (_s.TopUpPending[m] || _s.CreditLeft[m] <= 0) return;
        var step = (long)Math.Ceiling(setup.Sheet.ExpectedDailyPurchases[m] * settlement.TopUpStepDays);
        var amount = Math.Min(_s.CreditLeft[m], Math.Max(needed, step));
        _s.TopUpPending[m] = true;
        _agenda.Add(ctx, BankHours(ctx.Now.Nanos + settlement.TopUpDelay.Nanos), new TopUpDue(m, amount));
    }

    private void Draw(INodeContext ctx, int m, long amount)
    {
        amount = Math.Min(amount, _s.CreditLeft[m]);
        if (amount <= 0) { _s.TopUpPending[m] = false; return; }
        _s.TopUpPending[m] = true;
        Submit(ctx, DvpContract.FundCall(new FundInstruction(m, amount)), [], new FundInstruction(m, amount), 128);
    }

    private void Funded(INodeContext ctx, FundInstruction f, bool accepted)
    {
        _s.TopUpPending[f.Member] = false;
        if (!accepted) return;
        var m = f.Member;
        Accrue(ctx, m);
        _s.Cash[m] += f.Amount;
        _s.CreditLeft[m] -= f.Amount;
        _s.Drawn[m] += f.Amount;
        if (f.Amount > 0) _s.DrawnToday[m] += f.Amount;
        _peak[m] = Math.Max(_peak[m], _s.Drawn[m]);
        ctx.Metrics.Add(f.Amount > 0 ? SecuritiesMetrics.CreditDraws : SecuritiesMetrics.CreditRepayments);
    }

    private void Accrue(INodeContext ctx, int m)
    {
        var years = (ctx.Now.Nanos - _s.Since[m]) / (365.0 * 86_400e9);
        _s.CreditCost[m] += _s.Drawn[m] * settlement.FundingRate * years;
        _s.Since[m] = ctx.Now.Nanos;
    }

    // A payment instruction is executed within bank hours on a business day.
    private long BankHours(long atNs)
    {
        var cal = setup.Calendar;
        var day = setup.LocalDate(atNs);
        if (cal.IsBusinessDay(day) && atNs >= setup.At(day, BankOpen) && atNs <= setup.At(day, BankClose)) return atNs;
        var next = cal.IsBusinessDay(day) && atNs < setup.At(day, BankOpen) ? day : cal.NextBusinessDay(day);
        return setup.At(next, BankOpen);
    }

    // Netting windows start at local midnight in the market's zone: [00:00, W), [W, 2W), ...
    private void ScheduleWindow(INodeContext ctx)
    {
        var w = settlement.NettingWindow.Nanos;
        var now = ctx.Now.Nanos;
        var midnight = setup.Clock.MidnightNanos(setup.LocalDate(now), setup.Calendar);
        var next = midnight + ((now - midnight) / w + 1) * w;
        var nextMidnight = setup.Clock.MidnightNanos(setup.LocalDate(now).AddDays(1), setup.Calendar);
        if (next > nextMidnight) next = nextMidnight;
        if (next <= setup.HorizonNs) ctx.SetTimer(Duration.FromNanos(next - now), new WindowClose());
    }
}
