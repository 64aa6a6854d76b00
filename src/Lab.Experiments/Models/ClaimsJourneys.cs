using System.Globalization;
using Lab.Finance.Calendars;
using Lab.Finance.Insurance;
using Lab.Reports;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// The insurance report's "follow one claim": each run records the trail of a sample of claims (the <c>journey_*</c>
/// samples, written by the institutions as they act); <see cref="Follow"/> pairs the same claims across the processes
/// (the same seed gives the same visits and draws) and writes every step in Beijing time, where every institution works.
/// </summary>
internal static class ClaimsJourneys
{
    /// <summary>Claims offered in the report's picker.</summary>
    private const int Offered = 12;
    public const string Ledger = "claims ledger";

    public static JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<PointResult> points)
    {
        var lanes = new List<(string Variant, bool OnChain, SortedDictionary<int, List<SampledStep>> Trails)>();
        InsuranceOptions? options = null;
        for (int i = 0; i < points.Count; i++)
        {
            if (lanes.Any(l => l.Variant == points[i].Variant) || points[i].Replications.Count == 0) continue;
            if (JourneySamples.Trails(points[i].Replications[0].Metrics, InsuranceMetrics.JourneyClaim) is not { } trails) continue;
            var o = InsuranceClaimsModel.Options(planned[i].Config);
            options ??= o;
            if (o.Start != options.Start || o.Hospitals != options.Hospitals || o.Insurers != options.Insurers) continue;
            lanes.Add((points[i].Variant, o.Process == ClaimsProcess.OnChain, trails));
        }
        if (options is null || lanes.Count == 0) return null;
        var clock = new RunClock(options.Start);
        var calendar = BusinessCalendars.China2026();
        var names = ClaimTrail.Institutions(options);

        var common = lanes.Select(l => l.Trails.Keys.AsEnumerable()).Aggregate((a, b) => a.Intersect(b)).Order().ToList();
        var journeys = new List<(Journey Journey, bool WeekendReview, double Gain)>();
        foreach (var claim in common)
        {
            var visit = lanes[0].Trails[claim][0];
            var title = $"Claim {(claim + 1).ToString("N0", CultureInfo.InvariantCulture)}: {Cny(visit.Detail)} after a visit to {names[visit.Who]}";
            var laneSteps = lanes.Select(l => new JourneyLane(l.Variant, [.. l.Trails[claim].OrderBy(s => s.AtNs).Select(s =>
                new JourneyStep(s.AtNs / 1e9, clock.Label(new SimTime(s.AtNs), calendar.Zone), What(s, names, l.OnChain), Who(s, names, l.OnChain)))])).ToList();
            // A review claim whose visit ends after the office closes on the last working day before a day off: it waits for the desk.
            var local = clock.Local(new SimTime(visit.AtNs), calendar);
            var nextDay = DateOnly.FromDateTime(local).AddDays(1);
            var afterHours = !calendar.IsBusinessDay(DateOnly.FromDateTime(local)) || (TimeOnly.FromDateTime(local) >= options.OfficeClose && !calendar.IsBusinessDay(nextDay));
            var review = lanes.Any(l => l.OnChain && l.Trails[claim].Any(s => s.Stage == (int)ClaimStage.Filed && s.Detail > 0));
            double Span(IEnumerable<List<SampledStep>> ts) => ts.Select(t => t[^1].AtNs - t[0].AtNs).DefaultIfEmpty(0).Max() / 1e9;
            var gain = Span(lanes.Where(l => !l.OnChain).Select(l => l.Trails[claim])) - Span(lanes.Where(l => l.OnChain).Select(l => l.Trails[claim]));
            journeys.Add((new Journey(title, "", laneSteps), review && afterHours, gain));
        }
        if (journeys.Count == 0) return null;
        // Default pick: a claim sent to review whose visit ends before a weekend or holiday (the one paper makes wait longest);
        // failing that, the clearest contrast: the claim paper takes longest over the chain.
        var weekend = journeys.Select((j, i) => (j, i)).Where(x => x.j.WeekendReview).OrderByDescending(x => x.j.Gain).ThenBy(x => x.i).Select(x => x.i).DefaultIfEmpty(-1).First();
        var pick = weekend >= 0 ? weekend : journeys.Select((j, i) => (j, i)).OrderByDescending(x => x.j.Gain).ThenBy(x => x.i).First().i;
        var offered = journeys.Select(j => j.Journey).ToList();
        var gainText = Lab.Reports.Html.FollowOneTrade.Human(Math.Abs(journeys[pick].Gain));
        var note = weekend >= 0
            ? $"The rules send it to a reviewer, and the visit ends after the claims office has closed for a weekend or holiday: watch it wait for the desk on chain too (paper takes {gainText} {(journeys[pick].Gain >= 0 ? "longer" : "less")})."
            : $"The claim paper takes longest over the chain: {gainText} more, from filing delays, post, queues and batches.";
        var chosen = offered[pick] with { Note = note };
        offered.RemoveAt(pick);
        offered.Insert(0, chosen);
        return new JourneySet("claim", "Beijing time (UTC+8)", [.. names, Ledger], [.. offered.Take(Offered)]);
    }

    private static string Cny(long fen) => (fen / 100.0).ToString("N2", CultureInfo.InvariantCulture) + " CNY";

    private static string What(SampledStep s, IReadOnlyList<string> names, bool onChain)
    {
        var who = names[s.Who];
        return (ClaimStage)s.Stage switch
        {
            ClaimStage.Visit => onChain ? $"The visit ends at {who}; its system sends the visit record to the health commission" : $"The visit ends at {who}; the patient takes the paper documents home",
            ClaimStage.Recognised => $"The {who} recognises an insured customer and passes the visit to the data exchange",
            ClaimStage.Filed => s.Detail == 0
                ? $"The {who} files the claim: the contract finds the customer's consent and approves it by its rules"
                : $"The {who} files the claim: the contract finds the customer's consent and sends it to review ({Reason(ClaimTrail.ReviewReasons, s.Detail)})",
            ClaimStage.Refused => $"The contract refuses the {who}'s filing: {Reason(ClaimTrail.RefusalReasons, s.Detail)}; the customer is told to file on paper",
            ClaimStage.EvidenceStored => $"The visit record's Merkle root is anchored; the {who} sends the insurer the record with its inclusion proof",
            ClaimStage.EvidenceChecked => s.Detail == 1 ? $"{who} checks the record against the anchored root: authentic" : $"{who} checks the record against the anchored root: it does not match",
            ClaimStage.PaperFiled => s.Detail == 1 ? "The customer files the claim on paper after the refusal" : "The customer files the claim on paper",
            ClaimStage.DocumentsReceived => $"The documents reach {who} by post and are keyed in",
            ClaimStage.QueuedForReview => s.Detail == 1 ? $"The missing documents join {who}'s review queue again" : $"The claim joins {who}'s review queue",
            ClaimStage.Chased => $"{who}'s reviewer asks the customer for missing documents",
            ClaimStage.Answered => "The customer sends the missing documents",
            ClaimStage.Reviewed => $"{who}'s reviewer finishes the claim",
            ClaimStage.Decided => $"{who}'s decision is final on the ledger: the payment instruction is on chain",
            ClaimStage.PaymentOrdered => onChain ? $"{who} sends the payment order to the bank" : $"{who} releases the claim with the daily payment batch",
            ClaimStage.Paid => $"The {who} pays {Cny(s.Detail)} to the customer" + (onChain ? " and confirms it on the ledger" : ""),
            _ => ((ClaimStage)s.Stage).ToString(),
        };
    }

    private static string Reason<T>(IReadOnlyList<(T, string Text)> reasons, long code) => reasons[(int)Math.Clamp(code, 0, reasons.Count - 1)].Text;

    private static string[] Who(SampledStep s, IReadOnlyList<string> names, bool onChain)
    {
        var who = names[s.Who];
        return (ClaimStage)s.Stage switch
        {
            ClaimStage.Visit when onChain => [who, InsuranceBook.Commission],
            ClaimStage.Recognised => [who, InsuranceBook.Exchange],
            ClaimStage.Filed or ClaimStage.Refused or ClaimStage.EvidenceStored or ClaimStage.Decided => [who, Ledger],
            ClaimStage.Paid when onChain => [who, Ledger],
            ClaimStage.PaymentOrdered => [who, InsuranceBook.Bank],
            _ => [who],
        };
    }
}
