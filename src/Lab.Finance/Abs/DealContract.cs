using System.Globalization;
using Lab.Ledger.Contracts;
using Lab.Sim.Time;

namespace Lab.Finance.Abs;

/// <summary>The servicer's batch of loan events (one posting interval, one collection period); <paramref name="Batch"/> numbers it.</summary>
public sealed record LoanEventBatch(int Batch, int Period, IReadOnlyList<LoanEvent> Events)
{
    public override string ToString() => $"LoanEventBatch {{ #{Batch}, period {Period}, {Events.Count} events }}";
}

/// <summary>The servicer closes a period with its tape's control totals: events and cash collected.</summary>
public sealed record ClosePeriod(int Period, int Events, long Cash);

/// <summary>The trustee issues the notes at closing: the pool's loans and each investor's units per class; the subordinated class to the originator.</summary>
public sealed record IssueNotes(IReadOnlyList<Loan> Loans, IReadOnlyList<(string Class, string Holder, long Units)> Units)
{
    /// <summary>Per loan (in <see cref="Loans"/>' order), its borrower-level line sealed for the borrower collection
    /// (<see cref="AbsPrivacy"/>), stored beside the loan; null with <c>scenario.privacy.deal: off</c>. Internal, so not in
    /// the text form the transaction's fingerprint hashes: like Fabric's transient data it travels beside the ordered call.</summary>
    internal IReadOnlyList<Lab.Finance.Privacy.SealedPayload>? Borrowers { get; init; }
    public override string ToString() => $"IssueNotes {{ {Loans.Count} loans, {Units.Count} allocations }}";
}

/// <summary>An investor transfers units of a class to another investor.</summary>
public sealed record TransferUnits(string Class, string To, long Units)
{
    /// <summary>The trade's reference (the book's trade index) and its record sealed for the two investors, the trustee and
    /// the regulator (<see cref="AbsPrivacy"/>); null with privacy off. Internal: not in the fingerprinted text form.</summary>
    internal int Trade { get; init; } = -1;
    internal Lab.Finance.Privacy.SealedPayload? Record { get; init; }
}

/// <summary>A loan as the ledger knows it.</summary>
public sealed record LoanState(long Balance, int Missed, bool Defaulted);

/// <summary>The deal's state on the ledger: the open period, its collections so far, the notes, and cumulative cash in and out.</summary>
public sealed record DealState(int OpenPeriod, long InitialPool, long PoolStart, NoteState Notes, long CashIn, long PaidOut, long InitialReserve)
{
    /// <summary>Cash in since closing = paid out + (reserve now − reserve at closing): what the ledger's audit checks after every block.</summary>
    public bool Balances => CashIn == PaidOut + Notes.Reserve - InitialReserve;
}

/// <summary>A period's running collections on the ledger.</summary>
public sealed record PeriodTally(int Events, long Interest, long Principal, long Recoveries, long Defaulted);

/// <summary>
/// The deal on the consortium chain, run by every party's replica. The trustee issues the notes (class tokens
/// <c>abs-A</c>, <c>abs-B</c>, <c>abs-Sub</c>, in units, issued by it alone so the runtime's conservation check holds
/// every holder to them) and registers the pool. The servicer posts loan events; each is checked against the loan's
/// state on the ledger (no payment on a defaulted or repaid loan, no more principal than the balance, a recovery
/// only after a default) and tallied into its period. Closing a period checks the servicer's control totals against
/// the tally and runs <see cref="Waterfall"/> deterministically: every replica holds the same payments to the fen.
/// Investors transfer units against the register. Cash moves off chain through the paying agent (less than reality:
/// no tokenised cash leg).
/// </summary>
public sealed class DealContract(DealTerms terms, Duration cpuPerEvent) : IContract
{
    public const string ContractName = "abs-deal";
    public const string TrusteeRole = "trustee";
    public const string ServicerRole = "servicer";
    public const string InvestorRole = "investor";
    public const string DealKey = "deal";
    public string Name => ContractName;

    public static string Asset(string cls) => "abs-" + cls;
    public static string LoanKey(int loan) => "loan/" + loan.ToString(CultureInfo.InvariantCulture);
    public static string TallyKey(int period) => "tally/" + period.ToString(CultureInfo.InvariantCulture);
    public static string WaterfallKey(int period) => "waterfall/" + period.ToString(CultureInfo.InvariantCulture);

    public static ContractCall Issue(IssueNotes n) => new(ContractName, "issue", n);
    public static ContractCall Post(LoanEventBatch b) => new(ContractName, "events", b);
    public static ContractCall Close(ClosePeriod c) => new(ContractName, "close", c);
    public static ContractCall Transfer(TransferUnits t) => new(ContractName, "transfer", t);

    public void Execute(ContractContext ctx, string method, object? arguments)
    {
        switch (method, arguments)
        {
            case ("issue", IssueNotes n):
                ctx.RequireRole(TrusteeRole);
                DoIssue(ctx, n);
                break;
            case ("events", LoanEventBatch b):
                ctx.RequireRole(ServicerRole);
                ctx.Charge(cpuPerEvent * b.Events.Count);
                DoEvents(ctx, b);
                break;
            case ("close", ClosePeriod c):
                ctx.RequireRole(ServicerRole);
                DoClose(ctx, c);
                break;
            case ("transfer", TransferUnits t):
                ctx.RequireRole(InvestorRole);
                if (!ctx.IsMember(t.To)) { ctx.Decline($"{t.To} is not a party to the deal"); return; }
                if (t.Units <= 0) { ctx.Decline("a transfer needs a positive number of units"); return; }
                if (ctx.Balance(Asset(t.Class), ctx.Caller) < t.Units) { ctx.Decline($"{ctx.Caller} holds fewer than {t.Units} units of class {t.Class}"); return; }
                ctx.Transfer(Asset(t.Class), ctx.Caller, t.To, t.Units);
                if (t.Record is { } record && t.Trade >= 0 && ctx.Get(AbsPrivacy.TradeKey(t.Trade)) is null) ctx.Put(AbsPrivacy.TradeKey(t.Trade), record);
                break;
            default:
                ctx.Reject($"{ContractName} has no method '{method}' taking {arguments?.GetType().Name ?? "nothing"}");
                break;
        }
    }

    private void DoIssue(ContractContext ctx, IssueNotes n)
    {
        if (ctx.Get(DealKey) is not null) { ctx.Decline("the notes are already issued"); return; }
        long pool = 0;
        foreach (var l in n.Loans)
        {
            if (l.Principal <= 0) { ctx.Decline($"loan {l.Index} has no principal"); return; }
            ctx.Put(LoanKey(l.Index), new LoanState(l.Principal, 0, false));
            pool += l.Principal;
        }
        if (n.Borrowers is { } sealedTape)
            for (int i = 0; i < n.Loans.Count && i < sealedTape.Count; i++) ctx.Put(AbsPrivacy.BorrowerKey(n.Loans[i].Index), sealedTape[i]);
        foreach (var (cls, holder, units) in n.Units) ctx.Issue(Asset(cls), holder, units);
        var notes = Waterfall.Closing(terms, pool);
        ctx.Put(DealKey, new DealState(0, pool, pool, notes, 0, 0, notes.Reserve));
    }

    private static void DoEvents(ContractContext ctx, LoanEventBatch b)
    {
        if (ctx.Get<DealState>(DealKey) is not { } deal) { ctx.Decline("no deal issued"); return; }
        if (b.Period < deal.OpenPeriod) { ctx.Decline($"period {b.Period} is closed"); return; }
        var tally = ctx.Get<PeriodTally>(TallyKey(b.Period)) ?? new PeriodTally(0, 0, 0, 0, 0);
        foreach (var e in b.Events)
        {
            if (e.Period != b.Period) { ctx.Decline($"event {e.Index} belongs to period {e.Period}, not {b.Period}"); return; }
            if (ctx.Get<LoanState>(LoanKey(e.Loan)) is not { } loan) { ctx.Decline($"loan {e.Loan} is not in the pool"); return; }
            if (e.Interest < 0 || e.Principal < 0 || e.Recovery < 0 || e.Defaulted < 0) { ctx.Decline($"event {e.Index}: negative amount"); return; }
            if (e.Kind == LoanEventKind.Recovery ? !loan.Defaulted : loan.Defaulted || loan.Balance == 0)
            {
                ctx.Decline($"event {e.Index}: {e.Kind} on loan {e.Loan} that is {(loan.Defaulted ? "defaulted" : loan.Balance == 0 ? "repaid" : "not defaulted")}");
                return;
            }
            if (e.Principal > loan.Balance || e.Defaulted > loan.Balance) { ctx.Decline($"event {e.Index}: more principal than loan {e.Loan}'s balance {loan.Balance}"); return; }
            var next = e.Kind switch
            {
                LoanEventKind.Missed => loan with { Missed = loan.Missed + 1 },
                LoanEventKind.Default => new LoanState(0, loan.Missed + 1, true),
                LoanEventKind.Recovery => loan,
                _ => new LoanState(loan.Balance - e.Principal, 0, false),
            };
            if (e.Kind == LoanEventKind.Default && e.Defaulted != loan.Balance) { ctx.Decline($"event {e.Index}: a default charges off the whole balance {loan.Balance}"); return; }
            ctx.Put(LoanKey(e.Loan), next);
            tally = new PeriodTally(tally.Events + 1, tally.Interest + e.Interest, tally.Principal + e.Principal, tally.Recoveries + e.Recovery, tally.Defaulted + e.Defaulted);
        }
        ctx.Put(TallyKey(b.Period), tally);
    }

    private void DoClose(ContractContext ctx, ClosePeriod c)
    {
        if (ctx.Get<DealState>(DealKey) is not { } deal) { ctx.Decline("no deal issued"); return; }
        if (c.Period != deal.OpenPeriod) { ctx.Decline($"period {c.Period} is not the open period {deal.OpenPeriod}"); return; }
        var tally = ctx.Get<PeriodTally>(TallyKey(c.Period)) ?? new PeriodTally(0, 0, 0, 0, 0);
        var cash = tally.Interest + tally.Principal + tally.Recoveries;
        if (tally.Events != c.Events || cash != c.Cash)
        {
            ctx.Decline($"period {c.Period}: the tape says {c.Events} events and {c.Cash} fen, the ledger holds {tally.Events} and {cash}");
            return;
        }
        var collections = new Collections(tally.Interest, tally.Principal, tally.Recoveries, tally.Defaulted, deal.PoolStart);
        var result = Waterfall.Run(terms, deal.InitialPool, c.Period, deal.Notes, collections);
        ctx.Put(WaterfallKey(c.Period), result);
        ctx.Put(DealKey, deal with { OpenPeriod = c.Period + 1, PoolStart = collections.PoolEnd, Notes = result.After, CashIn = deal.CashIn + collections.Cash, PaidOut = deal.PaidOut + result.PaidOut });
        ctx.Emit(ContractRuntime.ResultEvent, $"waterfall {c.Period}");
    }
}
