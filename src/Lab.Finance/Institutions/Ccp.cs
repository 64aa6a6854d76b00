using Lab.Finance.Securities;
using Lab.Finance.Securities.Clearing;
using Lab.Finance.Securities.Market;
using Lab.Finance.Securities.Regimes;
using Lab.Sim.Nodes;

namespace Lab.Finance.Institutions;

/// <summary>
/// The central counterparty under a deferred-net regime (NSCC with DTC's settlement engine for the US
/// presets; ChinaClear for China). It novates every trade it receives (the guarantee attaches at
/// validation) into a <see cref="CnsBook"/>, and works through each day by the regime's clock: the
/// delivery run (night cycle or end of day) and day-cycle recycles at the depository, the net money
/// settlement at the settlement bank, fails carried forward with penalties, buy-ins at the open,
/// the end-of-day risk run (marks, initial and variation margin, the clearing fund, projections to
/// members), intraday margin checks and their deadlines. A member that cannot pay at the money
/// settlement or does not meet a margin call is in default: it is suspended at the exchange, its
/// collateral is taken for liquidity, its unpaid receipts are unwound, its open positions are
/// liquidated over the regime's liquidation days, and the loss goes down the default waterfall —
/// no survivor's trade is cancelled. Operations with the depository and the bank run one at a time;
/// what is due meanwhile waits its turn. All state is durable (node storage); messages travel on a
/// <see cref="ReliableLink"/>, planned work on an <see cref="Agenda"/>.
/// </summary>
public sealed class Ccp(MarketSetup setup, ClearingSetup clearing) : INodeBehaviour, ISettlementLog
{
    // Planned activities (agenda entries).
    private sealed record DayPlan(DateOnly Day);
    private sealed record RunDue(DateOnly Day, int Pass);
    private sealed record MoneyDue(DateOnly Day);
    private sealed record EndOfDayDue(DateOnly Day);
    private sealed record BuyInDue(DateOnly Day);
    private sealed record IntradayDue(DateOnly Day, int Check);
    private sealed record DeadlineDue(long Ref);
    private sealed record SliceDue(int Member, int SlicesLeft);
    private sealed record DefaultDue(int Member, string Reason);

    // The one operation with the depository or the bank under way.
    private sealed record RunInFlight(DeliveryRun Run, DateOnly MoneyDay);
    private sealed record OperationInFlight(string Kind, long Ref);

    private sealed record Call(int Member, int Account, long Amount, long DueNs, string Kind)
    {
        public long Paid;
    }

    private sealed class DefaultCase
    {
        public long DeclaredNs;
        public string Reason = "";
        public long MarginTaken, FundTaken;
        public int SlicesLeft;
        public bool Finished;
    }

    /// <summary>Durable state of the CCP.</summary>
    private sealed class State
    {
        public required CnsBook Book;
        public required long[] Margin;          // posted to the member's margin account (IM + VM)
        public required long[] Fund;            // posted to its clearing-fund account
        public required long[] MarginRequired;
        public required long[] InitialMargin;
        public required long[] FundRequired;
        public required long[] VariationBasis;  // loss at the last end-of-day mark
        public required double[] Purchases;     // value bought, for the reserve-ratio method
        public required long[] PeakCommitted;
        public required long[] PeakDebit;
        public required long[] PeakCollateral;
        public SortedSet<DateOnly> TradeDays = [];
        public readonly SortedDictionary<long, Call> Calls = [];
        public readonly SortedDictionary<int, DefaultCase> Defaults = [];
        public readonly List<WaterfallOutcome> Waterfalls = [];
        public readonly List<object> Waiting = [];
        public object? InFlight;
        public long NextRef;
        public long FacilityPeak;
        public long SkinInTheGame;
        public long MarginTotalPeak, FundTotalPeak;
        public readonly List<(long At, long Notional, long Replacement, long Uncollateralised)> Exposure = [];
        public long GrossSettled, NetDebitsPaid, FailValue, DueValue;
        public readonly Dictionary<long, (BuyInOrder Order, List<Leg> Legs, long[] Prices, DateOnly MoneyDay)> BuyIns = [];
        public readonly Dictionary<long, (int Member, List<Reversal> Reversals)> Reversals = [];
        public readonly Dictionary<long, MoneyOrder> Money = [];
    }

    private readonly ReliableLink _link = new("ccp.link");
    private readonly Agenda _agenda = new("ccp.agenda");
    private readonly SettlementRegime _regime = clearing.Regime;
    private readonly RiskEngine _risk = new(clearing.Regime, setup.Prices);
    private State _s = null!;
    private NodeId _csd, _bank, _exchange, _regulator;
    private NodeId[] _members = [];

    public CnsBook Book => _s.Book;
    public TradeRecord[]? Records => _s.Book.Records;
    public IReadOnlyList<WaterfallOutcome> Waterfalls => _s.Waterfalls;
    public IReadOnlyList<(long At, long Notional, long Replacement, long Uncollateralised)> ExposureSamples => _s.Exposure;
    public IReadOnlyList<long> PeakCommitted => _s.PeakCommitted;
    public IReadOnlyList<long> PeakCollateral => _s.PeakCollateral;
    public IReadOnlyList<long> PeakDebit => _s.PeakDebit;
    public long FacilityPeak => _s.FacilityPeak;
    /// <summary>Largest end-of-day total of margin required (initial + variation) and of the clearing fund, over members.</summary>
    public (long Margin, long Fund) RiskPeaks => (_s.MarginTotalPeak, _s.FundTotalPeak);
    public (long Gross, long NetDebits) Netting => (_s.GrossSettled, _s.NetDebitsPaid);
    public (long Failed, long Due) FailValue => (_s.FailValue, _s.DueValue);
    public IReadOnlyDictionary<int, (long DeclaredNs, string Reason)> Defaults =>
        _s.Defaults.ToDictionary(kv => kv.Key, kv => (kv.Value.DeclaredNs, kv.Value.Reason));

    private AccountMap Accounts => setup.Accounts;
    private int M => setup.Members;

    public void OnStart(INodeContext ctx)
    {
        _csd = ctx.Directory.Find(MarketNames.Csd);
        _bank = ctx.Directory.Find(MarketNames.Bank);
        _exchange = ctx.Directory.Find(MarketNames.Exchange);
        _regulator = ctx.Directory.Find(MarketNames.Regulator);
        _members = Enumerable.Range(0, M).Select(m => ctx.Directory.Find(setup.Names.Member(m))).ToArray();
        _s = ctx.Storage.GetOrAdd("ccp.state", () => new State
        {
            Book = new CnsBook(M, setup.Securities, setup.Tape.Trades.Count),
            Margin = new long[M], Fund = new long[M], MarginRequired = new long[M], InitialMargin = new long[M], FundRequired = new long[M],
            VariationBasis = new long[M], Purchases = new double[M], PeakCommitted = new long[M], PeakDebit = new long[M], PeakCollateral = new long[M],
        });
        _link.Start(ctx);
        _agenda.Start(ctx, () =>
        {
            _agenda.Add(ctx, Math.Max(0, ctx.Now.Nanos), new DayPlan(setup.LocalDate(ctx.Now.Nanos)));
            foreach (var (m, at) in clearing.InjectedDefaults) _agenda.Add(ctx, at, new DefaultDue(m, "declared in default (outside event)"));
        });
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (!_link.TryReceive(ctx, from, message, out var body) || body is null) return;
        switch (body)
        {
            case TradeReport r: Novate(ctx, r.Trade); break;
            case Affirmation a: Affirm(ctx, a); break;
            case DeliveryReport d: OnDelivered(ctx, d.Result); break;
            case BuyInReport b: OnBoughtIn(ctx, b); break;
            case ReversalReport rr: OnReversed(ctx, rr); break;
            case MoneySettlementReport ms: OnMoneySettled(ctx, ms); break;
            case CollateralPosted p: OnCollateral(p); break;
            case CashMoved: break;
        }
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_link.TryTimer(ctx, state)) return;
        if (!_agenda.TryTimer(ctx, state, out var due)) return;
        foreach (var activity in due) Do(ctx, activity);
    }

    // ---- planning -------------------------------------------------------------------------------

    private void Plan(INodeContext ctx, DateOnly day)
    {
        var cal = setup.Calendar;
        // A day planned late (the CCP was down at midnight) still does all its work: what is past runs now.
        void At(TimeOnly time, object activity)
        {
            var at = setup.At(day, time);
            if (at <= setup.HorizonNs) _agenda.Add(ctx, Math.Max(at, ctx.Now.Nanos), activity);
        }
        if (cal.IsBusinessDay(day))
        {
            At(cal.OpenOn(day), new BuyInDue(day));
            for (int k = 0; k < _regime.IntradayMarginChecks.Count; k++) At(_regime.IntradayMarginChecks[k], new IntradayDue(day, k));
            At(_regime.EndOfDayAt, new EndOfDayDue(day));
            At(_regime.DeliveryRunAt, new RunDue(day, 0));
        }
        if (cal.IsSettlementDay(day))
        {
            if (_regime.DayCycle is { } dc)
            {
                var pass = 1;
                for (var t = dc.From; t <= dc.Until && pass < 100; pass++)
                {
                    At(t, new RunDue(day, pass));
                    var next = t.Add(TimeSpan.FromTicks(dc.Every.Nanos / 100));
                    if (next <= t) break;
                    t = next;
                }
            }
            At(_regime.MoneyAt, new MoneyDue(day));
        }
        var tomorrow = setup.Clock.MidnightNanos(day.AddDays(1), cal);
        if (tomorrow <= setup.HorizonNs) _agenda.Add(ctx, tomorrow, new DayPlan(day.AddDays(1)));
    }

    private void Do(INodeContext ctx, object activity)
    {
        if (activity is DayPlan p) { Plan(ctx, p.Day); return; }
        if (activity is DeadlineDue d) { Deadline(ctx, d.Ref); return; }
        if (activity is IntradayDue i) { Intraday(ctx, i.Day); return; }
        // Everything else touches the book or the depository/bank: one at a time.
        if (_s.InFlight is not null) { _s.Waiting.Add(activity); return; }
        switch (activity)
        {
            case RunDue r: Run(ctx, r); break;
            case MoneyDue md: Money(ctx, md.Day); break;
            case EndOfDayDue e: EndOfDay(ctx, e.Day); break;
            case BuyInDue b: BuyIn(ctx, b.Day); break;
            case SliceDue sl: Slice(ctx, sl); break;
            case DefaultDue dd: Declare(ctx, dd.Member, dd.Reason); break;
        }
    }

    private void Done(INodeContext ctx)
    {
        _s.InFlight = null;
        while (_s.InFlight is null && _s.Waiting.Count > 0)
        {
            var next = _s.Waiting[0];
            _s.Waiting.RemoveAt(0);
            Do(ctx, next);
        }
    }

    // ---- novation -------------------------------------------------------------------------------

    private void Novate(INodeContext ctx, Trade t)
    {
        var book = _s.Book;
        if (book.IsDefaulted(t.Buyer) || book.IsDefaulted(t.Seller))
        {
            // The CCP has ceased to act for the member: a trade reported after the default is void.
            book.Records[t.Index].Rejected = true;
            ctx.Metrics.Add(SecuritiesMetrics.RejectedCounter("suspended"));
            return;
        }
        var T = setup.TradeDate(t.ExecutedAtNs);
        var cal = setup.Calendar;
        var due = cal.SettlementDate(T, _regime.SecuritiesDays);
        var moneyDue = cal.SettlementDate(T, _regime.CycleDays);
        var gross = t.Kind == TradeKind.Block && _regime.HasInstitutionalFlow;
        book.Novate(t, due, moneyDue, ctx.Now.Nanos, gross, gross ? long.MaxValue : 0);
        _s.Purchases[t.Buyer] += t.Value;
        _s.TradeDays.Add(T);
        ctx.Metrics.Add(SecuritiesMetrics.TradesNovated);
    }

    private void Affirm(INodeContext ctx, Affirmation a)
    {
        var (buy, _) = _s.Book.LegsOf(a.Trade);
        if (buy is null || _regime.AffirmationCutoff is not { } cutoff) return;
        var T = setup.TradeDate(setup.Tape.Trades[a.Trade].ExecutedAtNs);
        var deadline = setup.At(setup.Calendar.SettlementDate(T, _regime.AffirmationCutoffDays), cutoff);
        // Affirmed by the cut-off: settles automatically in the runs for its date. Later: it misses the automatic
        // run and joins from the next main delivery run after the affirmation.
        var eligible = a.AtNs <= deadline ? a.AtNs : NextMainRun(a.AtNs);
        _s.Book.Affirm(a.Trade, eligible);
        ctx.Metrics.Add(a.AtNs <= deadline ? "affirmed_by_cutoff" : "affirmed_late");
    }

    private long NextMainRun(long afterNs)
    {
        var cal = setup.Calendar;
        for (var d = setup.LocalDate(afterNs); ; d = d.AddDays(1))
        {
            if (!cal.IsBusinessDay(d)) continue;
            var at = setup.At(d, _regime.DeliveryRunAt);
            if (at >= afterNs) return at;
        }
    }

    // ---- delivery runs --------------------------------------------------------------------------

    private void Run(INodeContext ctx, RunDue r)
    {
        var cal = setup.Calendar;
        DateOnly dueBy, moneyDay;
        if (r.Pass == 0 && _regime.NightBefore) { dueBy = cal.NextSettlementDay(r.Day); moneyDay = dueBy; }
        else
        {
            if (!cal.IsSettlementDay(r.Day)) return;
            dueBy = r.Day;
            moneyDay = r.Day;
        }
        var run = _s.Book.BuildRun(dueBy, moneyDay, r.Pass, ctx.Now.Nanos);
        if (run.Lines == 0) return;
        // What is due for settlement (net positions after netting, carried fails included), valued at the last
        // close, the base of the CNS fail rate.
        if (r.Pass == 0)
        {
            var at = ctx.Now.Nanos;
            foreach (var l in run.Shorts.Concat(run.Longs)) _s.DueValue += l.Quantity * setup.Prices.MidMinor(l.Security, at);
        }
        _s.InFlight = new RunInFlight(run, moneyDay);
        _link.Send(ctx, _csd, new DeliveryOrder(run), 64 + 24 * run.Lines);
    }

    private void OnDelivered(INodeContext ctx, DeliveryResult result)
    {
        if (_s.InFlight is not RunInFlight(var run, var moneyDay)) return;
        _s.Book.ApplyRun(run, result, moneyDay, ctx.Now.Nanos);
        long due = run.Shorts.Sum(l => l.Quantity), done = result.Delivered.Sum();
        ctx.Metrics.Add(SecuritiesMetrics.DeliveryRuns);
        ctx.Metrics.Add(SecuritiesMetrics.SharesDueInRuns, due);
        ctx.Metrics.Add(SecuritiesMetrics.SharesDeliveredInRuns, done);
        for (int i = 0; i < run.Shorts.Count; i++)
            if (result.Delivered[i] > 0 && result.Delivered[i] < run.Shorts[i].Quantity) ctx.Metrics.Add(SecuritiesMetrics.PartialDeliveries);
        Done(ctx);
    }

    // ---- money settlement -----------------------------------------------------------------------

    private void Money(INodeContext ctx, DateOnly day)
    {
        var order = _s.Book.BuildMoney(day);
        if (order.Net.All(x => x == 0) && !AnyItemsDue(day)) { CloseDay(ctx, day); return; }
        var id = ++_s.NextRef;
        _s.Money[id] = order;
        _s.InFlight = new OperationInFlight("money", id);
        _link.Send(ctx, _bank, new MoneySettlementOrder(order), 32 + 8 * order.Net.Count);
    }

    private bool AnyItemsDue(DateOnly day)
    {
        for (int m = 0; m <= M; m++)
            if (_s.Book.Money(m).Any(i => i.Due <= day)) return true;
        return false;
    }

    private void OnMoneySettled(INodeContext ctx, MoneySettlementReport report)
    {
        if (_s.InFlight is not OperationInFlight { Kind: "money" } inflight || !_s.Money.Remove(inflight.Ref, out var order)) return;
        var gross = GrossOfDay(order.Day);
        _s.Book.ApplyMoney(order, report.Settled, ctx.Now.Nanos);
        _s.FacilityPeak = Math.Max(_s.FacilityPeak, report.FacilityDrawn);
        long debits = 0;
        var defaulters = new List<int>();
        for (int m = 0; m < M; m++)
        {
            var net = order.Net[m];
            if (net < 0 && report.Settled[m])
            {
                debits += -net;
                _s.PeakDebit[m] = Math.Max(_s.PeakDebit[m], -net);
                _s.PeakCommitted[m] = Math.Max(_s.PeakCommitted[m], -net + _s.Margin[m] + _s.Fund[m]);
            }
            if (net < 0 && !report.Settled[m] && !_s.Book.IsDefaulted(m)) defaulters.Add(m);
            if (net > 0 && !report.Settled[m]) ctx.Metrics.Add(SecuritiesMetrics.PayoutsDeferred);
        }
        _s.GrossSettled += gross;
        _s.NetDebitsPaid += debits;
        ctx.Metrics.Add(SecuritiesMetrics.MoneySettlements);
        _link.Send(ctx, _regulator, new RegulatoryReport(MarketNames.Ccp, order.Day, "money", 0, gross, debits, defaulters.Count), 128);
        CloseDay(ctx, order.Day);
        _s.InFlight = null;
        foreach (var d in defaulters) _s.Waiting.Insert(0, new DefaultDue(d, $"could not pay its net debit of {-order.Net[d] / 100.0:0.##} {setup.Names.Currency} at the money settlement of {order.Day:yyyy-MM-dd}"));
        Done(ctx);
    }

    // Gross value of the completions paid at this settlement (the buy side), for netting efficiency.
    private long GrossOfDay(DateOnly day)
    {
        long g = 0;
        for (int m = 0; m < M; m++)
            foreach (var i in _s.Book.Money(m))
                if (i.Due <= day && i.Leg is { Receive: true }) g += -i.Amount;
        return g;
    }

    private void CloseDay(INodeContext ctx, DateOnly day)
    {
        var next = setup.Calendar.NextSettlementDay(day);
        var failed = _s.Book.CloseDay(day, s => setup.Prices.MidMinor(s, setup.At(day, _regime.MoneyAt)), _regime.FailPenaltyPerDay, next);
        var value = failed.Sum();
        _s.FailValue += value;
        if (value > 0) ctx.Metrics.Add(SecuritiesMetrics.FailDays);
    }

    // ---- buy-ins --------------------------------------------------------------------------------

    private void BuyIn(INodeContext ctx, DateOnly day)
    {
        var legs = _s.Book.DueBuyIns(_regime.BuyInAfterDays).ToList();
        if (legs.Count == 0) return;
        var at = ctx.Now.Nanos;
        var prices = legs.Select(l => Math.Max(1, (long)Math.Round(setup.Prices.MidMinor(l.Security, at) * (1 + _regime.BuyInPremium)))).ToArray();
        var id = ++_s.NextRef;
        var order = new BuyInOrder(id, legs.Select(l => new RunLine(l.Member, l.Security, l.Open)).ToList());
        var moneyDay = setup.Calendar.IsSettlementDay(day) ? day : setup.Calendar.NextSettlementDay(day);
        _s.BuyIns[id] = (order, legs, prices, moneyDay);
        _s.InFlight = new OperationInFlight("buy-in", id);
        _link.Send(ctx, _csd, order, 32 + 24 * legs.Count);
    }

    private void OnBoughtIn(INodeContext ctx, BuyInReport report)
    {
        if (!_s.BuyIns.Remove(report.Ref, out var b)) return;
        for (int i = 0; i < b.Legs.Count; i++)
        {
            var leg = b.Legs[i];
            var value = leg.Open * b.Prices[i];
            _s.Book.ApplyBuyIn(leg, b.Prices[i], b.MoneyDay, ctx.Now.Nanos);
            ctx.Metrics.Add(SecuritiesMetrics.BuyIns);
            ctx.Metrics.Add(SecuritiesMetrics.Money(SecuritiesMetrics.BuyInCost, setup.Names.Currency), (value - leg.Value(b.Order.Lines[i].Quantity)) / 100.0);
        }
        Done(ctx);
    }

    // ---- risk: end of day, intraday, calls ------------------------------------------------------

    private void EndOfDay(INodeContext ctx, DateOnly day)
    {
        long Mark(int s) => setup.Prices.CloseMinor(s, day);
        var positions = _s.Book.OpenPositions();
        var (mtm, notional) = _s.Book.Exposure(Mark);
        var stress = new long[M];
        var im = new long[M];
        var days = Math.Max(1, _s.TradeDays.Count);
        for (int m = 0; m < M; m++)
        {
            if (_s.Book.IsDefaulted(m)) continue;
            var avgPurchases = _s.TradeDays.Count == 0 ? setup.Sheet.ExpectedDailyPurchases[m] : _s.Purchases[m] / days;
            im[m] = _risk.InitialMargin(positions, m, Mark, avgPurchases);
            stress[m] = _risk.StressLoss(positions, m, Mark);
        }
        var fund = RiskEngine.ClearingFund(stress, im, _regime.Cover);
        var due = setup.At(setup.Calendar.NextBusinessDay(day), _regime.MarginDueAt);
        long rc = 0, uncollateralised = 0;
        for (int m = 0; m < M; m++)
        {
            if (_s.Book.IsDefaulted(m)) continue;
            var vm = Math.Max(0, -mtm[m]);
            rc += vm;
            _s.InitialMargin[m] = im[m];
            _s.VariationBasis[m] = vm;
            _s.MarginRequired[m] = im[m] + vm;
            _s.FundRequired[m] = fund[m];
            uncollateralised += Math.Max(0, vm - _s.Margin[m]);
            Adjust(ctx, m, Accounts.Margin(m), _s.Margin[m], _s.MarginRequired[m], due, "margin");
            Adjust(ctx, m, Accounts.Fund(m), _s.Fund[m], _s.FundRequired[m], due, "clearing fund");
            _s.PeakCollateral[m] = Math.Max(_s.PeakCollateral[m], _s.MarginRequired[m] + _s.FundRequired[m]);
            _s.PeakCommitted[m] = Math.Max(_s.PeakCommitted[m], _s.MarginRequired[m] + _s.FundRequired[m]);
        }
        _s.MarginTotalPeak = Math.Max(_s.MarginTotalPeak, _s.MarginRequired.Sum());
        _s.FundTotalPeak = Math.Max(_s.FundTotalPeak, _s.FundRequired.Sum());
        // The CCP's own capital in the waterfall tracks the fund it sits in front of.
        var skin = (long)Math.Ceiling(_regime.SkinInTheGameShare * fund.Sum());
        if (skin > _s.SkinInTheGame)
        {
            _link.Send(ctx, _bank, new CashMove(++_s.NextRef, Accounts.Outside, Accounts.SkinInTheGame, skin - _s.SkinInTheGame), 48);
            _s.SkinInTheGame = skin;
        }
        _s.Exposure.Add((ctx.Now.Nanos, notional.Sum(), rc, uncollateralised));
        ctx.Metrics.Add(SecuritiesMetrics.RiskRuns);
        // Projections: each member's net shorts for its next delivery run, so it can borrow in time.
        var next = setup.Calendar.NextSettlementDay(day);
        for (int m = 0; m < M; m++)
        {
            if (_s.Book.IsDefaulted(m)) continue;
            var shorts = new List<RunLine>();
            for (int s = 0; s < setup.Securities; s++)
            {
                long q = 0;
                foreach (var leg in _s.Book.OpenLegs(m, s))
                    if (leg.Due <= next && !leg.Gross) q += leg.Receive ? -leg.Open : leg.Open;
                if (q > 0) shorts.Add(new RunLine(m, s, q));
            }
            if (shorts.Count > 0) _link.Send(ctx, _members[m], new PositionProjection(next, shorts), 32 + 24 * shorts.Count);
        }
        _link.Send(ctx, _regulator, new RegulatoryReport(MarketNames.Ccp, day, "risk", M, im.Sum(), fund.Sum(), _s.Defaults.Count), 128);
    }

    // Calls what is missing, returns what is above the requirement.
    private void Adjust(INodeContext ctx, int m, int account, long posted, long required, long dueNs, string kind)
    {
        var pending = _s.Calls.Values.Where(c => c.Member == m && c.Account == account).Sum(c => c.Amount - c.Paid);
        if (required > posted + pending) Demand(ctx, m, account, required - posted - pending, dueNs, kind);
        else if (posted > required && pending == 0)
        {
            var excess = posted - required;
            if (account == Accounts.Margin(m)) _s.Margin[m] -= excess; else _s.Fund[m] -= excess;
            _link.Send(ctx, _bank, new CashMove(++_s.NextRef, account, m, excess), 48);
        }
    }

    private void Demand(INodeContext ctx, int m, int account, long amount, long dueNs, string kind)
    {
        var id = ++_s.NextRef;
        _s.Calls[id] = new Call(m, account, amount, dueNs, kind);
        _agenda.Add(ctx, dueNs, new DeadlineDue(id));
        _link.Send(ctx, _members[m], new MarginCall(id, m, account, amount, dueNs, kind), 64);
        ctx.Metrics.Add(SecuritiesMetrics.MarginCalls);
    }

    private void Intraday(INodeContext ctx, DateOnly day)
    {
        var at = ctx.Now.Nanos;
        var (mtm, notional) = _s.Book.Exposure(s => setup.Prices.MidMinor(s, at));
        long rc = 0, uncollateralised = 0;
        for (int m = 0; m < M; m++)
        {
            if (_s.Book.IsDefaulted(m)) continue;
            var loss = Math.Max(0, -mtm[m]);
            rc += loss;
            uncollateralised += Math.Max(0, loss - _s.Margin[m]);
            var increase = loss - _s.VariationBasis[m];
            if (increase <= 0 || increase < _regime.IntradayCallThreshold * Math.Max(1, _s.InitialMargin[m])) continue;
            _s.VariationBasis[m] = loss;
            _s.MarginRequired[m] += increase;
            Demand(ctx, m, Accounts.Margin(m), increase, at + _regime.IntradayCallDeadline.Nanos, "intraday margin");
            ctx.Metrics.Add(SecuritiesMetrics.IntradayMarginCalls);
        }
        _s.Exposure.Add((at, notional.Sum(), rc, uncollateralised));
    }

    private void OnCollateral(CollateralPosted p)
    {
        if (p.Account == Accounts.Margin(p.Member)) _s.Margin[p.Member] += p.Amount; else _s.Fund[p.Member] += p.Amount;
        if (_s.Calls.TryGetValue(p.Ref, out var call)) call.Paid += p.Amount;
    }

    private void Deadline(INodeContext ctx, long id)
    {
        if (!_s.Calls.Remove(id, out var call)) return;
        if (call.Paid >= call.Amount || _s.Book.IsDefaulted(call.Member)) return;
        Do(ctx, new DefaultDue(call.Member, $"did not meet a {call.Kind} call of {call.Amount / 100.0:0.##} {setup.Names.Currency} (paid {call.Paid / 100.0:0.##})"));
    }

    // ---- default management ---------------------------------------------------------------------

    private void Declare(INodeContext ctx, int d, string reason)
    {
        if (_s.Book.IsDefaulted(d)) return;
        var c = new DefaultCase { DeclaredNs = ctx.Now.Nanos, Reason = reason, MarginTaken = _s.Margin[d], FundTaken = _s.Fund[d] };
        _s.Defaults[d] = c;
        ctx.Metrics.Add(SecuritiesMetrics.Defaults);
        ctx.Metrics.Note(SecuritiesMetrics.DefaultFinding, $"{setup.Names.Member(d)} {reason}");
        _link.Send(ctx, _exchange, new MemberSuspended(d, ctx.Now.Nanos), 32);
        _link.Send(ctx, _regulator, new RegulatoryReport(MarketNames.Ccp, setup.LocalDate(ctx.Now.Nanos), "default", d, c.MarginTaken, c.FundTaken, 1), 128);
        // The defaulter's collateral becomes the CCP's liquidity at once (and the first layers of its waterfall).
        if (c.MarginTaken > 0) _link.Send(ctx, _bank, new CashMove(++_s.NextRef, Accounts.Margin(d), Accounts.CcpSettlement, c.MarginTaken), 48);
        if (c.FundTaken > 0) _link.Send(ctx, _bank, new CashMove(++_s.NextRef, Accounts.Fund(d), Accounts.CcpSettlement, c.FundTaken), 48);
        _s.Margin[d] = 0;
        _s.Fund[d] = 0;
        foreach (var id in _s.Calls.Where(kv => kv.Value.Member == d).Select(kv => kv.Key).ToList()) _s.Calls.Remove(id);
        var reversals = _s.Book.BeginDefault(d, ctx.Now.Nanos).ToList();
        ScheduleSlices(ctx, d);
        if (reversals.Count == 0) return;
        var rid = ++_s.NextRef;
        _s.Reversals[rid] = (d, reversals);
        _s.InFlight = new OperationInFlight("reversal", rid);
        _link.Send(ctx, _csd, new ReversalOrder(rid, d, reversals.Select(r => new RunLine(d, r.Leg.Security, r.Shares)).ToList()), 32 + 24 * reversals.Count);
    }

    private void OnReversed(INodeContext ctx, ReversalReport report)
    {
        if (!_s.Reversals.Remove(report.Ref, out var r)) return;
        for (int i = 0; i < r.Reversals.Count; i++) _s.Book.ApplyReversal(r.Member, r.Reversals[i], report.Returned[i], ctx.Now.Nanos);
        Done(ctx);
    }

    // Liquidation in equal slices at the close of the next business days (today's close if still ahead).
    private void ScheduleSlices(INodeContext ctx, int d)
    {
        var cal = setup.Calendar;
        var day = setup.LocalDate(ctx.Now.Nanos);
        var slices = _regime.LiquidationDays;
        _s.Defaults[d].SlicesLeft = slices;
        var left = slices;
        for (var x = day; left > 0; x = x.AddDays(1))
        {
            if (!cal.IsBusinessDay(x)) continue;
            var at = setup.At(x, cal.CloseOn(x));
            if (at < ctx.Now.Nanos) continue;
            _agenda.Add(ctx, at, new SliceDue(d, left));
            left--;
        }
    }

    private void Slice(INodeContext ctx, SliceDue slice)
    {
        var c = _s.Defaults[slice.Member];
        if (c.Finished) return;
        var cal = setup.Calendar;
        var today = setup.LocalDate(ctx.Now.Nanos);
        var T = cal.IsBusinessDay(today) ? today : cal.NextBusinessDay(today);
        var due = cal.SettlementDate(T, Math.Max(1, _regime.SecuritiesDays));
        var moneyDue = cal.SettlementDate(T, Math.Max(1, _regime.CycleDays));
        var at = ctx.Now.Nanos;
        _s.Book.LiquidateSlice(slice.Member, slice.SlicesLeft, s => setup.Prices.MidMinor(s, at), _regime.LiquidationCost, due, moneyDue, at);
        c.SlicesLeft = slice.SlicesLeft - 1;
        if (c.SlicesLeft > 0) return;
        c.Finished = true;
        Waterfall(ctx, slice.Member, c);
    }

    private void Waterfall(INodeContext ctx, int d, DefaultCase c)
    {
        var estate = _s.Book.Estate(d);
        var loss = Math.Max(0, -estate);
        var outcome = DefaultWaterfall.Allocate(loss, new WaterfallResources(d, c.MarginTaken, c.FundTaken, _s.SkinInTheGame, _s.Fund));
        _s.Waterfalls.Add(outcome);
        // The defaulter's collateral is already in the settlement account; the other layers move in now, and what the
        // estate is owed (its resources not needed, a gain on close-out) goes back to it.
        if (outcome.FromSkinInTheGame > 0)
        {
            _link.Send(ctx, _bank, new CashMove(++_s.NextRef, Accounts.SkinInTheGame, Accounts.CcpSettlement, outcome.FromSkinInTheGame), 48);
            _s.SkinInTheGame -= outcome.FromSkinInTheGame;
        }
        for (int m = 0; m < M; m++)
        {
            if (outcome.FromSurvivors[m] <= 0) continue;
            _link.Send(ctx, _bank, new CashMove(++_s.NextRef, Accounts.Fund(m), Accounts.CcpSettlement, outcome.FromSurvivors[m]), 48);
            _s.Fund[m] -= outcome.FromSurvivors[m];
        }
        var back = outcome.ReturnedToDefaulter + Math.Max(0, estate);
        if (back > 0) _link.Send(ctx, _bank, new CashMove(++_s.NextRef, Accounts.CcpSettlement, Accounts.Outside, back), 48);
        if (outcome.Uncovered > 0) _link.Send(ctx, _bank, new CashMove(++_s.NextRef, Accounts.Outside, Accounts.CcpSettlement, outcome.Uncovered), 48);
        var cur = setup.Names.Currency;
        ctx.Metrics.Add(SecuritiesMetrics.Money(SecuritiesMetrics.DefaultLoss, cur), loss / 100.0);
        ctx.Metrics.Add(SecuritiesMetrics.Money(SecuritiesMetrics.WaterfallDefaulterMargin, cur), outcome.FromDefaulterMargin / 100.0);
        ctx.Metrics.Add(SecuritiesMetrics.Money(SecuritiesMetrics.WaterfallDefaulterFund, cur), outcome.FromDefaulterFund / 100.0);
        ctx.Metrics.Add(SecuritiesMetrics.Money(SecuritiesMetrics.WaterfallSkin, cur), outcome.FromSkinInTheGame / 100.0);
        ctx.Metrics.Add(SecuritiesMetrics.Money(SecuritiesMetrics.WaterfallSurvivors, cur), outcome.FromSurvivorsTotal / 100.0);
        ctx.Metrics.Add(SecuritiesMetrics.Money(SecuritiesMetrics.WaterfallUncovered, cur), outcome.Uncovered / 100.0);
        ctx.Metrics.Note(SecuritiesMetrics.DefaultFinding, $"{setup.Names.Member(d)} closed out: loss {loss / 100.0:0.##} {cur}; paid by its margin {outcome.FromDefaulterMargin / 100.0:0.##}, " +
                                    $"its clearing-fund deposit {outcome.FromDefaulterFund / 100.0:0.##}, the CCP's capital {outcome.FromSkinInTheGame / 100.0:0.##}, " +
                                    $"surviving members {outcome.FromSurvivorsTotal / 100.0:0.##}; uncovered {outcome.Uncovered / 100.0:0.##}");
    }
}
