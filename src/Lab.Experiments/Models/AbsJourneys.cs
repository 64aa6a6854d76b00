using System.Globalization;
using Lab.Finance.Abs;
using Lab.Finance.Calendars;
using Lab.Reports;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// The ABS report's "follow one loan event": each run records the trail of a sample of loan events (the
/// <c>journey_*</c> samples, from what the servicer, trustee, parties and replicas recorded); <see cref="Follow"/>
/// pairs the same events across the ways of reporting (the same seed gives the same pool history, rebuilt here from the
/// first replication's seed for the loans and amounts) and writes every step in Beijing time, where every party works.
/// </summary>
internal static class AbsJourneys
{
    /// <summary>Events offered in the report's picker.</summary>
    private const int Offered = 12;
    public const string Ledger = "deal ledger";

    public static JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<PointResult> points)
    {
        var lanes = new List<(string Variant, bool OnChain, SortedDictionary<int, List<SampledStep>> Trails)>();
        AbsOptions? options = null;
        AbsBook? book = null;
        for (int i = 0; i < points.Count; i++)
        {
            if (lanes.Any(l => l.Variant == points[i].Variant) || points[i].Replications.Count == 0) continue;
            var first = points[i].Replications[0];
            if (JourneySamples.Trails(first.Metrics, AbsMetrics.JourneyEvent) is not { } trails) continue;
            var o = AbsModel.Options(planned[i].Config);
            if (options is null)
            {
                options = o;
                book = AbsBook.Generate(o, first.Seed);
            }
            // Only lanes over the very pool history the book holds: each followed event occurs when the book says (to the
            // microsecond: the samples carry seconds as doubles, exact to ~2 µs over a year).
            if (o.Start != options.Start || o.Investors != options.Investors
                || trails.Any(t => t.Key >= book!.Events.Count || Math.Abs(t.Value[0].AtNs - book.Events[t.Key].AtNs) > 1_000)) continue;
            lanes.Add((points[i].Variant, o.Reporting == AbsReporting.OnChain, trails));
        }
        if (options is null || book is null || lanes.Count == 0) return null;
        var clock = new RunClock(options.Start);
        var zone = BusinessCalendars.China2026().Zone;
        var names = LoanEventTrail.Institutions(options.Investors);
        var readers = names.Count - 2;

        var common = lanes.Select(l => l.Trails.Keys.AsEnumerable()).Aggregate((a, b) => a.Intersect(b)).Order().ToList();
        var journeys = new List<(Journey Journey, bool Default, double Gain, int Breaks)>();
        foreach (var index in common)
        {
            var e = book.Events[index];
            var title = $"Loan {Number(e.Loan + 1)}: {Title(e)} ({Month(clock, book.Periods[e.Period].StartNs)} collection period)";
            var laneSteps = lanes.Select(l => new JourneyLane(l.Variant, [.. Shown(l.Trails[index]).Select(s =>
                new JourneyStep(s.AtNs / 1e9, clock.Label(new SimTime(s.AtNs), zone), What(s, e, names, l.Trails[index], readers), Who(s, names, l.OnChain)))])).ToList();
            double Known(bool onChain) => lanes.Where(l => l.OnChain == onChain)
                .Select(l => l.Trails[index].Where(s => s.Stage == (int)LoanEventStage.EveryPartyHolds).Select(s => (s.AtNs - e.AtNs) / 1e9).DefaultIfEmpty(double.NaN).First())
                .DefaultIfEmpty(double.NaN).Max();
            var breaks = lanes.Where(l => !l.OnChain).Select(l => l.Trails[index].Count(s => s.Stage == (int)LoanEventStage.Reconciled && s.Detail == 1)).DefaultIfEmpty(0).Max();
            var (paper, chain) = (Known(false), Known(true));
            journeys.Add((new Journey(title, Note(e, paper, chain, breaks), laneSteps), e.Kind == LoanEventKind.Default, paper - chain, breaks));
        }
        if (journeys.Count == 0) return null;
        // Default pick: the default that monthly reporting takes longest to bring to every party (a reconciliation break
        // found a month later does that), against the chain; failing a default, the longest wait of any event.
        var order = journeys.Select((j, i) => (j, i)).OrderByDescending(x => x.j.Default).ThenByDescending(x => double.IsNaN(x.j.Gain) ? double.MinValue : x.j.Gain).ThenBy(x => x.i).ToList();
        var pick = order[0].i;
        var offered = new List<Journey> { journeys[pick].Journey };
        offered.AddRange(journeys.Where((_, i) => i != pick).Select(j => j.Journey));
        return new JourneySet("loan event", "Beijing time (UTC+8)", [.. names, Ledger], [.. offered.Take(Offered)]);
    }

    /// <summary>Reconciliations as the reader sees them: every one that went wrong, and of the others the first and the last
    /// (the parties in between do the same desk work; the count is in the step's text).</summary>
    private static IEnumerable<SampledStep> Shown(List<SampledStep> trail)
    {
        var fine = trail.Where(s => s.Stage == (int)LoanEventStage.Reconciled && s.Detail == 0).ToList();
        return trail.Where(s => s.Stage != (int)LoanEventStage.Reconciled || s.Detail == 1 || fine.Count == 0 || s == fine[0] || s == fine[^1]);
    }

    private static string Title(LoanEvent e) => e.Kind switch
    {
        LoanEventKind.Payment => $"pays its instalment, {Cny(e.Cash)}",
        LoanEventKind.Prepayment => $"prepays in full, {Cny(e.Cash)}",
        LoanEventKind.Missed => "misses an instalment",
        LoanEventKind.Cure => $"pays its arrears, {Cny(e.Cash)}",
        LoanEventKind.Default => $"charged off, {Cny(e.Defaulted)} of principal lost",
        _ => $"recovery of {Cny(e.Recovery)} after its default",
    };

    private static string Note(LoanEvent e, double paper, double chain, int breaks)
    {
        if (double.IsNaN(paper) || double.IsNaN(chain)) return "";
        var what = e.Kind == LoanEventKind.Default ? "This default" : "This event";
        var late = breaks > 0 ? $", the last after {breaks} reconciliation{(breaks == 1 ? "" : "s")} that went wrong unnoticed until the next month" : "";
        return $"{what} reaches every party's books {Span(paper)} after it happened under monthly reporting{late}; on chain every party's replica holds it {Span(chain)} after.";
    }

    private static string What(SampledStep s, LoanEvent e, IReadOnlyList<string> names, List<SampledStep> trail, int readers)
    {
        var who = s.Who >= 0 && s.Who < names.Count ? names[s.Who] : Ledger;
        var loan = $"Loan {Number(e.Loan + 1)}";
        return (LoanEventStage)s.Stage switch
        {
            LoanEventStage.Occurred => e.Kind switch
            {
                LoanEventKind.Payment => $"{loan} pays its instalment: {Cny(e.Interest)} interest, {Cny(e.Principal)} principal; the servicer records it",
                LoanEventKind.Prepayment => $"{loan} prepays in full: {Cny(e.Principal)} principal and {Cny(e.Interest)} interest; the servicer records it",
                LoanEventKind.Missed => $"{loan} misses its instalment; the servicer marks it past due",
                LoanEventKind.Cure => $"{loan} pays all its arrears: {Cny(e.Cash)}; the servicer marks it current",
                LoanEventKind.Default => $"{loan} is charged off at its last missed instalment: {Cny(e.Defaulted)} of principal leaves the pool",
                _ => $"The servicer recovers {Cny(e.Recovery)} on defaulted {loan.ToLowerInvariant()} (repossession and sale)",
            },
            LoanEventStage.Posted => $"The servicer posts the hour's loan events ({s.Detail} in the batch) to the deal contract",
            LoanEventStage.PeriodEnded => "The collection period ends",
            LoanEventStage.Reported => "The servicer sends its monthly report (loan tape and collections) to the trustee",
            LoanEventStage.WaterfallSent => "The trustee computes the waterfall by hand and sends its payment report to every party",
            LoanEventStage.Reconciled when s.Detail == 1 => $"{who}'s reconciliation goes wrong unnoticed: its books now disagree with the trustee's",
            LoanEventStage.Reconciled => Reconciled(s, who, trail, readers),
            LoanEventStage.BreakFound => $"{who} finds last month's break at its next reconciliation and corrects its books",
            LoanEventStage.EveryPartyHolds => $"Every party holds the event correctly, {Span((s.AtNs - e.AtNs) / 1e9)} after it happened",
            LoanEventStage.Closed => "The servicer submits its close of the period (its tape's control totals): on it the contract runs the waterfall in every replica",
            LoanEventStage.WaterfallEverywhere => "Every party's replica holds the period's waterfall",
            LoanEventStage.Paid => $"Payment date: investors are paid {Cny(s.Detail)} of class A and B interest and principal",
            _ => ((LoanEventStage)s.Stage).ToString(),
        };
    }

    private static string Reconciled(SampledStep s, string who, List<SampledStep> trail, int readers)
    {
        var done = trail.Count(x => x.Stage == (int)LoanEventStage.Reconciled && x.AtNs <= s.AtNs);
        var first = !trail.Any(x => x.Stage == (int)LoanEventStage.Reconciled && x.Detail == 0 && x.AtNs < s.AtNs);
        return first
            ? $"{who} reconciles the trustee's report with its own books ({done} of {readers} parties have now reconciled)"
            : $"{who} reconciles: {done} of {readers} parties have now checked the report against their books";
    }

    private static string[] Who(SampledStep s, IReadOnlyList<string> names, bool onChain) => (LoanEventStage)s.Stage switch
    {
        LoanEventStage.Reported => [names[0], names[1]],
        LoanEventStage.WaterfallSent => [names[1], .. names.Skip(2)],
        LoanEventStage.Posted or LoanEventStage.Closed => [names[0], Ledger],
        LoanEventStage.EveryPartyHolds or LoanEventStage.WaterfallEverywhere => onChain ? [Ledger, .. names.Skip(1)] : [.. names.Skip(1)],
        LoanEventStage.Paid => [names[1], .. names.Where(n => n.StartsWith("investor", StringComparison.Ordinal))],
        _ => s.Who >= 0 && s.Who < names.Count ? [names[s.Who]] : [Ledger],
    };

    private static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
    private static string Cny(long fen) => (fen / 100.0).ToString("N2", CultureInfo.InvariantCulture) + " CNY";

    private static string Month(RunClock clock, long ns) => clock.Local(new SimTime(ns), BusinessCalendars.China2026()).ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Span(double s) => s switch
    {
        < 120 => s.ToString("0", CultureInfo.InvariantCulture) + " s",
        < 7200 => (s / 60).ToString("0", CultureInfo.InvariantCulture) + " min",
        < 2 * 86400 => (s / 3600).ToString("0.#", CultureInfo.InvariantCulture) + " h",
        _ => (s / 86400).ToString("0.#", CultureInfo.InvariantCulture) + " days",
    };
}
