using System.Globalization;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Calendars;
using Lab.Finance.Institutions;
using Lab.Finance.Privacy;
using Lab.Ledger.Contracts;
using Lab.Ledger.Transactions;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Confirmations;

/// <summary>A paper letter in the post, or the platform's push notice that a confirmation reached a status.</summary>
public enum LetterKind { ToClient, ToBank, Query, SecondRequest, Reply }
public sealed record Letter(int Request, LetterKind Kind);
public sealed record Notice(int Request, ConfirmationStatus Status);

/// <summary>What every desk of a run shares: options, the generated requests, office hours, the post, the keys and, on
/// chain, the platform's read API (<see cref="Ledger"/>: the state of the most advanced replica).</summary>
public sealed class ConfirmationSetup(ConfirmationOptions options, ConfirmationBook book, RunClock clock, BusinessCalendar calendar, Keyring keys, ulong seed)
{
    public ConfirmationOptions Options => options;
    public ConfirmationBook Book => book;
    public OfficeHours Hours { get; } = new(clock, calendar);
    public Keyring Keys => keys;
    public Func<string, object?> Ledger { get; set; } = _ => null;
    /// <summary>The followed requests' trails (report: follow one confirmation).</summary>
    public ConfirmationTrails Trails { get; } = new(book.Requests.Count);

    /// <summary>Adds a step to a followed request's trail.</summary>
    public void Step(INodeContext ctx, ConfirmationRequestDraw r, ConfirmationStage stage, long detail = 0) => Trails.Step(r.Index, ctx.Now.Nanos, stage, detail);

    /// <summary>When a letter posted at <paramref name="fromNs"/> arrives: on the <paramref name="days"/>-th business day after, at the delivery round.</summary>
    public long PostArrival(long fromNs, int days)
    {
        var day = clock.LocalDate(new SimTime(fromNs), calendar);
        for (int i = 0; i < days; i++) day = calendar.NextBusinessDay(day);
        return Math.Max(fromNs, clock.NanosAt(day, options.PostDelivery, calendar));
    }

    /// <summary>A letter sealed for its recipients; the entropy names the run and the item, so a run is reproducible.</summary>
    public SealedPayload Seal(string content, ConfirmationItem item, ConfirmationRequestDraw r, string variant = "") =>
        SealedPayload.Seal(content, ConfirmationPrivacy.Recipients(item, ConfirmationBook.Firm(r.Firm), ConfirmationBook.Client(r.Client), ConfirmationBook.Bank(r.Bank), options.RegulatorReads),
            keys, string.Create(CultureInfo.InvariantCulture, $"{seed}|{r.Id}|{item}|{variant}"));
}

/// <summary>
/// What the firm, client and bank desks have in common: letters go by post (a timer for the postal days, then the
/// reliable link), desk work is counted in office hours, and on chain calls go through the shared client with their
/// outcome handed to <see cref="Final"/>. Pending desk work and letters in the post are timers: a desk that crashes
/// loses them (the model does not restart confirmation work; calls in flight are resubmitted).
/// </summary>
public abstract class ConfirmationDesk(ConfirmationSetup setup, FinalityTracker? client, string link) : INodeBehaviour, ITransactionSource
{
    private sealed record Mail(string To, object Body);
    protected sealed record DeskDone(int Request, int Step);
    public sealed record Pending(Transaction Tx, int Request);

    private readonly ReliableLink _link = new(link);
    private SortedDictionary<TxId, Pending> _inFlight = null!;
    protected ConfirmationSetup Setup => setup;
    protected bool OnChain => client is not null;
    public SubmissionLog? Submissions => client?.Submissions;

    public virtual void OnStart(INodeContext ctx)
    {
        _inFlight = ctx.Storage.GetOrAdd(link + ".inflight", () => new SortedDictionary<TxId, Pending>());
        _link.Start(ctx);
        if (client is null) return;
        client.OnStart(ctx);
        client.Finalized = (c, f) => { if (_inFlight.Remove(f.Tx.Id, out var p)) Final(c, p.Request, f); };
        foreach (var p in _inFlight.Values) client.Resubmit(ctx, p.Tx);
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        if (_link.TryTimer(ctx, state)) return;
        switch (state)
        {
            case Mail m: _link.Send(ctx, ctx.Directory.Find(m.To), m.Body, 256); break;
            case DeskDone d: Done(ctx, setup.Book.Requests[d.Request], d.Step); break;
            default:
                if (!Timer(ctx, state)) client?.OnTimer(ctx, state);
                break;
        }
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (_link.TryReceive(ctx, from, message, out var body))
        {
            switch (body)
            {
                case Letter l: Received(ctx, setup.Book.Requests[l.Request], l.Kind); break;
                case Notice n: Notified(ctx, setup.Book.Requests[n.Request], n.Status); break;
            }
            return;
        }
        client?.OnMessage(ctx, from, message);
    }

    protected void Post(INodeContext ctx, string to, Letter letter, int days) =>
        ctx.SetTimer(Duration.FromNanos(setup.PostArrival(ctx.Now.Nanos, days) - ctx.Now.Nanos), new Mail(to, letter));

    /// <summary>The platform's push notice (the party's subscription to the contract's events), sent when a call is final.</summary>
    protected void Notify(INodeContext ctx, string to, Notice notice) => _link.Send(ctx, ctx.Directory.Find(to), notice, 128);

    protected void Desk(INodeContext ctx, ConfirmationRequestDraw r, double workingSeconds, int step = 0) =>
        ctx.SetTimer(Duration.FromNanos(setup.Hours.After(ctx.Now.Nanos, workingSeconds) - ctx.Now.Nanos), new DeskDone(r.Index, step));

    protected void Submit(INodeContext ctx, ConfirmationRequestDraw r, ContractCall call, int bytes)
    {
        var tx = client!.Submit(ctx, bytes, call);
        _inFlight[tx.Id] = new Pending(tx, r.Index);
    }

    protected virtual bool Timer(INodeContext ctx, object state) => false;
    protected virtual void Received(INodeContext ctx, ConfirmationRequestDraw r, LetterKind kind) { }
    protected virtual void Notified(INodeContext ctx, ConfirmationRequestDraw r, ConfirmationStatus status) { }
    protected abstract void Done(INodeContext ctx, ConfirmationRequestDraw r, int step);
    protected virtual void Final(INodeContext ctx, int request, Finality f) { }
}
