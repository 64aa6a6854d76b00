using System.Globalization;
using Lab.Finance.Calendars;
using Lab.Finance.SupplyChain;
using Lab.Reports;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// The supply-chain report's "follow one payable": each run records the trail of a sample of payables up one path of
/// their tiers (the <c>journey_*</c> samples); <see cref="Follow"/> pairs the same payables across the flows (the same
/// seed gives the same plan) and writes every step in the calendar's local time (the start's offset without one).
/// </summary>
internal static class SupplyChainJourneys
{
    /// <summary>Payables offered in the report's picker.</summary>
    private const int Offered = 12;
    public const string Ledger = "voucher ledger";

    private sealed record Lane(string Variant, bool OnChain, SupplyChainOptions Options, SortedDictionary<int, List<PayableStep>> Trails);

    public static JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<PointResult> points)
    {
        var lanes = new List<Lane>();
        SupplyChainOptions? options = null;
        IReadOnlyList<string> names = [];
        for (int i = 0; i < points.Count; i++)
        {
            if (lanes.Any(l => l.Variant == points[i].Variant) || points[i].Replications.Count == 0) continue;
            if (JourneySamples.Trails(points[i].Replications[0].Metrics, SupplyChainMetrics.JourneyPayable) is not { } sampled) continue;
            var o = SupplyChainModel.Options(planned[i].Config);
            if (options is null) (options, names) = (o, PayableTrail.Institutions(o));
            if (o.Start != options.Start || !o.Tiers.SequenceEqual(options.Tiers) || o.Banks != options.Banks) continue;
            var trails = new SortedDictionary<int, List<PayableStep>>();
            foreach (var (payable, steps) in sampled)
                trails[payable] = [.. steps.Select(s => (s, w: PayableTrail.FromWhoCode(s.Who, names.Count)))
                    .Select(x => new PayableStep(x.s.AtNs, (PayableStage)x.s.Stage, x.w.Who, x.w.With, x.s.Detail))];
            lanes.Add(new Lane(points[i].Variant, o.Flow == FinancingFlow.Voucher, o, trails));
        }
        if (options is null || lanes.Count == 0) return null;
        var clock = new RunClock(options.Start);
        var zone = options.Calendar?.Zone ?? new FixedOffsetZone(options.Start.Offset);
        var zoneName = options.Calendar?.Name == "cn" ? "Beijing time (UTC+8)" : zone.Id;

        var common = lanes.Select(l => l.Trails.Keys.AsEnumerable()).Aggregate((a, b) => a.Intersect(b)).Order().ToList();
        var journeys = new List<(Journey Journey, int CashTier, int CashHolder, bool DoublePledge)>();
        foreach (var payable in common)
        {
            var first = lanes[0].Trails[payable];
            var top = first.Where(s => s.Stage is PayableStage.Confirmed or PayableStage.Passed).Select(s => s.With).DefaultIfEmpty(0).Last();
            var title = $"Payable {(payable + 1).ToString("N0", CultureInfo.InvariantCulture)}: {Money(first[0].Detail, options)} from the core to {names[first[0].With]}, followed up to {names[top]} (tier {PayableTrail.TierOf(options, top)})";
            var laneSteps = lanes.Select(l => new JourneyLane(l.Variant, [.. l.Trails[payable].Select((s, k) =>
                new JourneyStep(s.AtNs / 1e9, clock.Label(new SimTime(s.AtNs), zone), What(s, l, names, l.Trails[payable].Take(k)), Who(s, names, l.OnChain)))])).ToList();
            // The contrast the scenario is about: a holder high up the tiers gets cash on vouchers but not on paper; a double pledge.
            var cashHolder = Financed(lanes.Where(l => l.OnChain), payable).Except(Financed(lanes.Where(l => !l.OnChain), payable))
                .OrderByDescending(h => PayableTrail.TierOf(options, h)).ThenBy(h => h).DefaultIfEmpty(0).First();
            var doubled = lanes.Any(l => !l.OnChain && l.Trails[payable].Where(s => s.Stage == PayableStage.Financed).GroupBy(s => s.With).Any(g => g.Count() > 1))
                          && lanes.Any(l => l.OnChain && l.Trails[payable].Any(s => s.Stage == PayableStage.Refused && s.Detail == 1));
            journeys.Add((new Journey(title, "", laneSteps), PayableTrail.TierOf(options, cashHolder), cashHolder, doubled));
        }
        if (journeys.Count == 0) return null;
        // Default pick: the payable whose highest-tier holder gets cash on vouchers but never on paper (tier 3 or above), the
        // first such; failing that, a double pledge two banks both finance on paper while the contract refuses the second discount.
        var ranked = journeys.Select((j, i) => (j, i)).OrderByDescending(x => x.j.CashTier >= 3 ? x.j.CashTier : 0).ThenByDescending(x => x.j.DoublePledge).ThenBy(x => x.i).First();
        var pick = ranked.i;
        var offered = journeys.Select(j => j.Journey).ToList();
        var note = ranked.j.CashTier >= 3
            ? $"{names[ranked.j.CashHolder]}, a tier-{ranked.j.CashTier} supplier, discounts its voucher piece at the rate on the core's credit; on paper it holds only a receivable on its own buyer, no bank finances it, and it waits for the payments down the chain."
            : ranked.j.DoublePledge
                ? "The holder pledges the same receivable to two banks: on paper both pay, neither can see the other's book; on chain the contract refuses the second discount."
                : "";
        var chosen = offered[pick] with { Note = note };
        offered.RemoveAt(pick);
        offered.Insert(0, chosen);
        return new JourneySet("payable", zoneName, [.. names, Ledger], [.. offered.Take(Offered)]);
    }

    private static IEnumerable<int> Financed(IEnumerable<Lane> lanes, int payable) =>
        lanes.SelectMany(l => l.Trails[payable]).Where(s => s.Stage == PayableStage.Financed).Select(s => s.With).Distinct();

    private static string Money(long minor, SupplyChainOptions o) => (minor / 100.0).ToString("N2", CultureInfo.InvariantCulture) + " " + o.Currency;

    private static string Rate(double rate) => (rate * 100).ToString("0.##", CultureInfo.InvariantCulture) + "% a year";

    private static string What(PayableStep s, Lane lane, IReadOnlyList<string> names, IEnumerable<PayableStep> before)
    {
        var (who, with, o) = (names[s.Who], s.With >= 0 ? names[s.With] : "", lane.Options);
        var amount = Money(s.Detail, o);
        var tier = PayableTrail.TierOf(o, s.Stage is PayableStage.Financed or PayableStage.Refused or PayableStage.Paid ? s.With : s.Who);
        if (lane.OnChain)
            return s.Stage switch
            {
                PayableStage.Confirmed => $"The core confirms the payable as a voucher of {amount} to {with}: final on the ledger",
                PayableStage.Passed => $"{who} splits its voucher and passes {amount} to {with}: final on the ledger",
                PayableStage.Asked => $"{who} needs cash for the {amount} it kept and asks {with} to discount its piece",
                PayableStage.Financed => $"{who} discounts {with}'s piece at {Rate(o.CoreRate)} on the core's credit and pays {amount}: final on the ledger",
                PayableStage.Refused => s.Detail == 1
                    ? $"The contract refuses {who}'s discount of {with}'s piece: it is discounted already"
                    : $"The contract refuses {who}'s discount of {with}'s piece",
                PayableStage.Paid => $"The core pays {amount} at maturity to {with}, who holds the piece: final on the ledger",
                _ => s.Stage.ToString(),
            };
        return s.Stage switch
        {
            PayableStage.Confirmed => $"The core accepts a commercial bill of {amount} to {with}",
            PayableStage.Passed => $"{who} pays {with} with a receivable of {amount} on itself (not on the core)",
            PayableStage.Asked => $"{who} needs cash for the {amount} it kept and applies to {with}" + (tier == 1 ? " to discount the core's acceptance" : " with its receivable on its buyer"),
            PayableStage.Financed => before.Any(b => b.Stage == PayableStage.Financed && b.With == s.With)
                ? $"{who} also finances {with}'s same receivable and pays {amount}: it cannot see the other bank's book"
                : $"{who} finances {with} after due diligence and pays {amount} at {Rate(o.PaperRate[tier - 1])}" + (tier == 1 ? " on the core's acceptance" : $" on {with}'s own credit"),
            PayableStage.Refused => $"{who} refuses {with} after due diligence",
            PayableStage.Paid => (s.Who == 0 ? $"The core pays {amount} at maturity to {with}" : $"{who} pays {amount} to {with}, a payment lag after it is paid itself")
                                 + (tier == 0 ? ", which financed the receivable" : ""),
            _ => s.Stage.ToString(),
        };
    }

    private static string[] Who(PayableStep s, IReadOnlyList<string> names, bool onChain) =>
        onChain && s.Stage != PayableStage.Asked ? [names[s.Who], names[s.With], Ledger] : [names[s.Who], names[s.With]];
}
