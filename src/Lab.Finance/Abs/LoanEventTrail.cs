using Lab.Ledger.Contracts;

namespace Lab.Finance.Abs;

/// <summary>What happened to a loan event on its way to every party, for the report's "follow one loan event".</summary>
public enum LoanEventStage
{
    /// <summary>The event, as the servicer records it when it happens; detail: its <see cref="LoanEventKind"/>.</summary>
    Occurred,
    /// <summary>On chain: the servicer submitted the batch holding the event; detail: events in the batch.</summary>
    Posted,
    /// <summary>Its collection period ended (midnight starting the next month).</summary>
    PeriodEnded,
    /// <summary>Traditional: the servicer's monthly report (loan tape and collections) went to the trustee.</summary>
    Reported,
    /// <summary>Traditional: the trustee computed the period's waterfall and sent its payment report to every party.</summary>
    WaterfallSent,
    /// <summary>Traditional: a party reconciled the trustee's report with its books; detail: 1 when it went wrong unnoticed (a break).</summary>
    Reconciled,
    /// <summary>Traditional: a party found its break at its next reconciliation.</summary>
    BreakFound,
    /// <summary>Every party (trustee, originator, rating agency, regulator, investors) holds the event correctly: the
    /// moment <see cref="AbsMetrics.EventVisible"/> measures.</summary>
    EveryPartyHolds,
    /// <summary>On chain: the servicer submitted its close of the period (its tape's control totals); on it the contract runs the waterfall in every replica.</summary>
    Closed,
    /// <summary>On chain: every party's replica held the period's waterfall.</summary>
    WaterfallEverywhere,
    /// <summary>The period's payment date: investors paid; detail: fen paid to classes A and B (interest and principal).</summary>
    Paid,
}

/// <summary>One step of a loan event's trail: when, who (<see cref="LoanEventTrail.Institutions"/> index; −1 the deal
/// ledger, i.e. every replica), what, and its detail.</summary>
public readonly record struct LoanEventStep(long AtNs, int Who, LoanEventStage Stage, long Detail);

/// <summary>
/// The trails of a sample of loan events, put together at the end of the run from what the servicer, trustee, parties
/// and replicas recorded (no work while the run goes). The events are chosen from the book alone, so both ways of
/// reporting follow the same ones.
/// </summary>
public static class LoanEventTrail
{
    public const int Ledger = -1;

    /// <summary>Events followed per kind (evenly spaced over the run): the kinds that move the deal most come first.</summary>
    private static readonly (LoanEventKind Kind, int Count)[] Quota =
    [
        (LoanEventKind.Default, 6), (LoanEventKind.Missed, 4), (LoanEventKind.Cure, 4),
        (LoanEventKind.Prepayment, 3), (LoanEventKind.Recovery, 3), (LoanEventKind.Payment, 4),
    ];

    /// <summary>Institution names in index order: servicer, trustee, then the reading parties (<see cref="AbsBook.Readers"/>).</summary>
    public static IReadOnlyList<string> Institutions(int investors) => [AbsBook.Servicer, AbsBook.Trustee, .. AbsBook.Readers(investors)];

    public static IEnumerable<int> FollowedEvents(AbsBook book)
    {
        static IEnumerable<LoanEvent> Spaced(List<LoanEvent> xs, int n) => xs.Count <= n ? xs : Enumerable.Range(0, n).Select(i => xs[(int)((long)i * xs.Count / n)]);
        return Quota.SelectMany(q => Spaced([.. book.Events.Where(e => e.Kind == q.Kind)], q.Count)).Select(e => e.Index).Order();
    }

    /// <summary>
    /// Every step of one event, in time order (ties in stage order). <paramref name="knownNs"/>: per event, when every
    /// party holds it (what <see cref="AbsResults.EventVisibleS"/> measures; the run's end if not by then); <paramref name="postedNs"/>, <paramref name="closedNs"/>:
    /// on chain, when the servicer submitted each batch and each period's close; <paramref name="reference"/>: the period's waterfall (what investors are paid).
    /// </summary>
    public static List<LoanEventStep> Of(int eventIndex, AbsBook book, AbsOptions o, AbsObserver observer, IReadOnlyList<long> knownNs,
        IReadOnlyDictionary<int, long> postedNs, IReadOnlyDictionary<int, long> closedNs, IReadOnlyList<WaterfallResult> reference, long endNs)
    {
        var e = book.Events[eventIndex];
        var p = book.Periods[e.Period];
        var steps = new List<LoanEventStep>
        {
            new(e.AtNs, 0, LoanEventStage.Occurred, (long)e.Kind),
            new(p.EndNs, 0, LoanEventStage.PeriodEnded, 0),
        };
        if (o.Reporting == AbsReporting.OnChain)
        {
            var batch = observer.Servicer?.BatchOf[eventIndex] ?? -1;
            if (batch >= 0 && postedNs.TryGetValue(batch, out var posted))
                steps.Add(new(posted, 0, LoanEventStage.Posted, observer.Servicer!.BatchOf.Count(b => b == batch)));
            if (closedNs.TryGetValue(e.Period, out var close)) steps.Add(new(close, 0, LoanEventStage.Closed, 0));
            var everywhere = AbsObserver.Everyone(observer.SeenByNode(l => l.CloseSeenNs), e.Period, -1);
            if (everywhere >= 0) steps.Add(new(everywhere, Ledger, LoanEventStage.WaterfallEverywhere, 0));
        }
        else
        {
            var report = observer.Servicer?.ReportNs[e.Period] ?? -1;
            if (report >= 0) steps.Add(new(report, 0, LoanEventStage.Reported, 0));
            var waterfall = observer.Trustee?.WaterfallNs[e.Period] ?? -1;
            if (waterfall >= 0) steps.Add(new(waterfall, 1, LoanEventStage.WaterfallSent, 0));
            foreach (var (reader, party) in observer.Parties)
            {
                var at = party.ReconciledNs;
                if (at[e.Period] < 0) continue;
                var broke = book.ReconcileError[reader][e.Period];
                steps.Add(new(at[e.Period], 2 + reader, LoanEventStage.Reconciled, broke ? 1 : 0));
                if (broke && e.Period + 1 < at.Length && at[e.Period + 1] >= 0) steps.Add(new(at[e.Period + 1], 2 + reader, LoanEventStage.BreakFound, 0));
            }
        }
        var holds = knownNs[eventIndex];
        if (holds < endNs) steps.Add(new(holds, Ledger, LoanEventStage.EveryPartyHolds, 0));
        if (p.PaymentNs <= endNs)
        {
            var r = reference[e.Period];
            steps.Add(new(p.PaymentNs, 1, LoanEventStage.Paid, r.InterestA + r.PrincipalA + r.InterestB + r.PrincipalB));
        }
        return [.. steps.OrderBy(s => s.AtNs).ThenBy(s => s.Stage)];
    }

    /// <summary>On chain: when the servicer submitted each loan-event batch and each period's close (from its submission
    /// log; a resubmission keeps the first time).</summary>
    public static (SortedDictionary<int, long> Batches, SortedDictionary<int, long> Closes) Submitted(AbsObserver observer)
    {
        var (batches, closes) = (new SortedDictionary<int, long>(), new SortedDictionary<int, long>());
        var log = observer.ServicerSubmissions;
        for (int i = 0; log is not null && i < log.Count; i++)
            switch (log.Find(i))
            {
                case { Payload: ContractCall { Arguments: LoanEventBatch b } } tx: batches.TryAdd(b.Batch, tx.SubmittedAt.Nanos); break;
                case { Payload: ContractCall { Arguments: ClosePeriod c } } tx: closes.TryAdd(c.Period, tx.SubmittedAt.Nanos); break;
            }
        return (batches, closes);
    }
}
