using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Calendars;
using Lab.Finance.Institutions;
using Lab.Ledger.Contracts;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Abs;

/// <summary>Traditional: the servicer's monthly report of period <paramref name="Period"/> (loan-level tape and collections) to the trustee.</summary>
public sealed record ServicerReport(int Period);
/// <summary>Traditional: the trustee's payment report of a period (the waterfall) to every party.</summary>
public sealed record TrusteeReport(int Period);
/// <summary>Traditional: an investor asks the registrar (the trustee) to register a trade.</summary>
public sealed record TradeNotice(int Trade);

/// <summary>
/// The servicer. It knows each loan event when it happens. On chain it posts the events of every
/// <see cref="AbsOptions.PostInterval"/> as one batch per collection period, and closes a period (control totals of
/// its tape) once the period has ended and all its batches are final; the contract then runs the waterfall.
/// Traditionally it compiles the monthly report in desk hours after the period end (<see cref="AbsOptions.ServicerReportS"/>)
/// and sends it to the trustee.
/// </summary>
public sealed class ServicerNode(AbsOptions options, AbsBook book, OfficeHours hours, FinalityTracker? client) : INodeBehaviour, ITransactionSource
{
    private sealed record Tick;
    private sealed record PeriodEnd(int Period);
    private sealed record ReportDue(int Period);
    public sealed record Pending(Transaction Tx, int Period, bool Close);

    public sealed class State
    {
        public int NextEvent, NextBatch, NextClose;
        public required int[] BatchOf;        // per event: its batch (−1: not posted)
        public required long[] ReportNs;      // per period: traditional report sent
        public required long[] CloseFinalNs;  // per period: on chain close final
        public long Declined;
        public readonly List<string> Refusals = [];
        public readonly SortedDictionary<TxId, Pending> InFlight = [];
    }

    private readonly ReliableLink _link = new("servicer.link");
    private State _s = null!;
    public State Records => _s;
    public SubmissionLog? Submissions => client?.Submissions;

    public void OnStart(INodeContext ctx)
    {
        _s = ctx.Storage.GetOrAdd("servicer.state", () => new State
        {
            BatchOf = Enumerable.Repeat(-1, book.Events.Count).ToArray(),
            ReportNs = Enumerable.Repeat(-1L, book.Periods.Count).ToArray(),
            CloseFinalNs = Enumerable.Repeat(-1L, book.Periods.Count).ToArray(),
        });
        _link.Start(ctx);
        if (client is null)
        {
            foreach (var p in book.Periods)
                if (_s.ReportNs[p.Index] < 0) ctx.SetTimer(Duration.FromNanos(Math.Max(0, p.EndNs - ctx.Now.Nanos)), new PeriodEnd(p.Index));
            return;
        }
        client.OnStart(ctx);
        client.Finalized = OnFinal;
        foreach (var p in _s.InFlight.Values) client.Resubmit(ctx, p.Tx);
        var interval = options.PostInterval.Nanos;
        ctx.SetTimer(Duration.FromNanos(interval - ctx.Now.Nanos % interval), new Tick());
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (_link.TryReceive(ctx, from, message, out _)) return;
        client?.OnMessage(ctx, from, message);
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_link.TryTimer(ctx, state)) return;
        switch (state)
        {
            case Tick:
                Post(ctx);
                TryClose(ctx);
                if (_s.NextClose < book.Periods.Count) ctx.SetTimer(options.PostInterval, new Tick());
                break;
            case PeriodEnd e:
                ctx.SetTimer(Duration.FromNanos(hours.After(ctx.Now.Nanos, options.ServicerReportS) - ctx.Now.Nanos), new ReportDue(e.Period));
                break;
            case ReportDue r:
                _s.ReportNs[r.Period] = ctx.Now.Nanos;
                _link.Send(ctx, ctx.Directory.Find(AbsBook.Trustee), new ServicerReport(r.Period), 2_000 + book.Periods[r.Period].Events * options.EventBytes);
                break;
            default:
                client?.OnTimer(ctx, state);
                break;
        }
    }

    private void Post(INodeContext ctx)
    {
        var now = ctx.Now.Nanos;
        var due = new List<LoanEvent>();
        while (_s.NextEvent < book.Events.Count && book.Events[_s.NextEvent].AtNs <= now) due.Add(book.Events[_s.NextEvent++]);
        foreach (var group in due.GroupBy(e => e.Period).OrderBy(g => g.Key))
        {
            var batch = _s.NextBatch++;
            var events = group.ToList();
            foreach (var e in events) _s.BatchOf[e.Index] = batch;
            var tx = client!.Submit(ctx, 200 + events.Count * options.EventBytes, DealContract.Post(new LoanEventBatch(batch, group.Key, events)));
            _s.InFlight[tx.Id] = new Pending(tx, group.Key, false);
        }
    }

    /// <summary>Closes the next period once it has ended and none of its batches is still in flight (one close in flight at a time).</summary>
    private void TryClose(INodeContext ctx)
    {
        if (_s.NextClose >= book.Periods.Count) return;
        var p = book.Periods[_s.NextClose];
        if (ctx.Now.Nanos < p.EndNs || _s.NextEvent < book.Events.Count && book.Events[_s.NextEvent].Period <= p.Index) return;
        if (_s.InFlight.Values.Any(x => x.Period <= p.Index)) return;
        var tx = client!.Submit(ctx, 300, DealContract.Close(new ClosePeriod(p.Index, p.Events, p.Tape.Cash)));
        _s.InFlight[tx.Id] = new Pending(tx, p.Index, true);
    }

    private void OnFinal(INodeContext ctx, Finality f)
    {
        if (!_s.InFlight.Remove(f.Tx.Id, out var p)) return;
        if (!f.Outcome.Accepted)
        {
            _s.Declined++;
            if (_s.Refusals.Count < 10) _s.Refusals.Add(f.Outcome.Reason ?? "refused");
        }
        if (p.Close && f.Outcome.Accepted)
        {
            _s.CloseFinalNs[p.Period] = ctx.Now.Nanos;
            _s.NextClose++;
        }
        TryClose(ctx);
    }
}

/// <summary>
/// The trustee. At closing (on chain) it issues the notes and registers the pool with <see cref="DealContract"/>.
/// Traditionally it computes each period's waterfall by hand from the servicer's report (desk hours,
/// <see cref="AbsBook.TrusteeS"/>), sends its payment report to every party, and keeps the unit register: a trade is
/// registered in desk hours after the investor's notice (<see cref="AbsBook.RegistrarS"/>).
/// </summary>
public sealed class TrusteeNode(AbsOptions options, AbsBook book, OfficeHours hours, FinalityTracker? client, AbsPrivacy? privacy = null) : INodeBehaviour, ITransactionSource
{
    private sealed record WaterfallDone(int Period);
    private sealed record Registered(int Trade);

    public sealed class State
    {
        public required long[] WaterfallNs;   // per period: traditional waterfall computed and sent
        public required long[] RegisteredNs;  // per trade: traditional register updated
        public long IssuedNs = -1;
        public string? IssueRefused;
        public TxId? IssueTx;
    }

    private readonly ReliableLink _link = new("trustee.link");
    private State _s = null!;
    public State Records => _s;
    public SubmissionLog? Submissions => client?.Submissions;

    public void OnStart(INodeContext ctx)
    {
        _s = ctx.Storage.GetOrAdd("trustee.state", () => new State
        {
            WaterfallNs = Enumerable.Repeat(-1L, book.Periods.Count).ToArray(),
            RegisteredNs = Enumerable.Repeat(-1L, book.Trades.Count).ToArray(),
        });
        _link.Start(ctx);
        if (client is null) return;
        client.OnStart(ctx);
        client.Finalized = (c, f) =>
        {
            if (f.Tx.Id != _s.IssueTx) return;
            _s.IssuedNs = c.Now.Nanos;
            if (!f.Outcome.Accepted) _s.IssueRefused = f.Outcome.Reason;
        };
        if (_s.IssueTx is null)
        {
            var units = book.Allocation.SelectMany(kv => kv.Value.Select((u, i) => (kv.Key, AbsBook.Investor(i), u))).Where(x => x.u > 0).ToList();
            var sub = Waterfall.Closing(options.Terms, book.InitialPool).Sub / (options.UnitFaceCny * 100);
            if (sub > 0) units.Add(("Sub", AbsBook.Originator, sub));
            var tx = client.Submit(ctx, 200 + book.Loans.Count * 48, DealContract.Issue(privacy is null ? new IssueNotes(book.Loans, units) : privacy.WithTape(new IssueNotes(book.Loans, units))));
            _s.IssueTx = tx.Id;
        }
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (_link.TryReceive(ctx, from, message, out var body))
        {
            switch (body)
            {
                case ServicerReport r:
                    ctx.SetTimer(Duration.FromNanos(hours.After(ctx.Now.Nanos, book.TrusteeS[r.Period]) - ctx.Now.Nanos), new WaterfallDone(r.Period));
                    break;
                case TradeNotice t:
                    ctx.SetTimer(Duration.FromNanos(hours.After(ctx.Now.Nanos, book.RegistrarS[t.Trade]) - ctx.Now.Nanos), new Registered(t.Trade));
                    break;
            }
            return;
        }
        client?.OnMessage(ctx, from, message);
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_link.TryTimer(ctx, state)) return;
        switch (state)
        {
            case WaterfallDone w:
                _s.WaterfallNs[w.Period] = ctx.Now.Nanos;
                foreach (var party in AbsBook.Readers(options.Investors))
                    _link.Send(ctx, ctx.Directory.Find(party), new TrusteeReport(w.Period), 4_000);
                break;
            case Registered r:
                _s.RegisteredNs[r.Trade] = ctx.Now.Nanos;
                break;
            default:
                client?.OnTimer(ctx, state);
                break;
        }
    }
}

/// <summary>
/// A party that reads the deal: the originator, the rating agency, the regulator and each investor. Traditionally it reconciles the trustee's monthly report
/// against its own books in desk hours (<see cref="AbsBook.ReconcileS"/>); with <see cref="AbsBook.ReconcileError"/>
/// the reconciliation goes wrong unnoticed, and the break is found at its next one. On chain it reads the deal from
/// its replica (measured there). An investor also sells units: on chain by a transfer on the register, traditionally
/// by a notice to the registrar.
/// </summary>
public sealed class PartyNode(AbsOptions options, AbsBook book, int reader, OfficeHours hours, FinalityTracker? client, AbsPrivacy? privacy = null) : INodeBehaviour, ITransactionSource
{
    private sealed record Reconciled(int Period);
    private sealed record NextTrade;

    public sealed class State
    {
        public required long[] ReconciledNs;  // per period (traditional)
        public required long[] SettledNs;     // per trade this party sells: on chain final (−1: not)
        public int NextTrade;
        public long Declined;
        public readonly SortedDictionary<TxId, int> InFlight = [];
        public readonly SortedDictionary<TxId, Transaction> Txs = [];
    }

    private readonly ReliableLink _link = new("party.link");
    private readonly List<UnitTrade> _sales = [.. book.Trades.Where(t => AbsBook.Investor(t.Seller) == AbsBook.Readers(options.Investors)[reader])];
    private State _s = null!;
    public State Records => _s;
    public int Reader => reader;
    public SubmissionLog? Submissions => client?.Submissions;

    public void OnStart(INodeContext ctx)
    {
        _s = ctx.Storage.GetOrAdd("party.state", () => new State
        {
            ReconciledNs = Enumerable.Repeat(-1L, book.Periods.Count).ToArray(),
            SettledNs = Enumerable.Repeat(-1L, book.Trades.Count).ToArray(),
        });
        _link.Start(ctx);
        if (client is not null)
        {
            client.OnStart(ctx);
            client.Finalized = OnFinal;
            foreach (var tx in _s.Txs.Values) client.Resubmit(ctx, tx);
        }
        ScheduleTrade(ctx);
    }

    private void ScheduleTrade(INodeContext ctx)
    {
        if (_s.NextTrade < _sales.Count)
            ctx.SetTimer(Duration.FromNanos(Math.Max(0, _sales[_s.NextTrade].AtNs - ctx.Now.Nanos)), new NextTrade());
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (_link.TryReceive(ctx, from, message, out var body))
        {
            if (body is TrusteeReport r)
                ctx.SetTimer(Duration.FromNanos(hours.After(ctx.Now.Nanos, book.ReconcileS[reader][r.Period]) - ctx.Now.Nanos), new Reconciled(r.Period));
            return;
        }
        client?.OnMessage(ctx, from, message);
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_link.TryTimer(ctx, state)) return;
        switch (state)
        {
            case Reconciled r:
                _s.ReconciledNs[r.Period] = ctx.Now.Nanos;
                break;
            case NextTrade:
                while (_s.NextTrade < _sales.Count && _sales[_s.NextTrade].AtNs <= ctx.Now.Nanos)
                {
                    var t = _sales[_s.NextTrade++];
                    if (client is null) _link.Send(ctx, ctx.Directory.Find(AbsBook.Trustee), new TradeNotice(t.Index), 300);
                    else
                    {
                        var tx = client.Submit(ctx, 300, DealContract.Transfer(privacy?.WithRecord(t) ?? new TransferUnits(t.Class, AbsBook.Investor(t.Buyer), t.Units)));
                        _s.InFlight[tx.Id] = t.Index;
                        _s.Txs[tx.Id] = tx;
                    }
                }
                ScheduleTrade(ctx);
                break;
            default:
                client?.OnTimer(ctx, state);
                break;
        }
    }

    private void OnFinal(INodeContext ctx, Finality f)
    {
        if (!_s.InFlight.Remove(f.Tx.Id, out var trade)) return;
        _s.Txs.Remove(f.Tx.Id);
        if (f.Outcome.Accepted) _s.SettledNs[trade] = ctx.Now.Nanos;
        else _s.Declined++;
    }
}
