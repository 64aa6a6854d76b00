using System.Globalization;
using Lab.Finance.Calendars;
using Lab.Finance.Warehousing;
using Lab.Reports;
using Lab.Sim.Time;
using static Lab.Finance.Warehousing.WarehouseMetrics;

namespace Lab.Experiments.Models;

/// <summary>
/// The warehouse-receipt report's "follow one lot": each run records the trail of a sample of lots (the
/// <c>journey_*</c> samples, one per step, from what warehouses and banks recorded); <see cref="Follow"/> pairs the same
/// lots across the registries (the same seed gives the same lots, frauds and applications) and writes every step in
/// Beijing time, where every warehouse and bank of the scenario works.
/// </summary>
internal static class WarehouseJourneys
{
    /// <summary>Lots offered in the report's picker.</summary>
    private const int Offered = 12;
    public const string Ledger = "receipt ledger";

    public static JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<PointResult> points)
    {
        var lanes = new List<(string Variant, bool OnChain, SortedDictionary<int, List<LotStep>> Trails)>();
        WarehouseOptions? options = null;
        for (int i = 0; i < points.Count; i++)
        {
            if (lanes.Any(l => l.Variant == points[i].Variant) || points[i].Replications.Count == 0) continue;
            if (JourneySamples.Trails(points[i].Replications[0].Metrics, JourneyLot) is not { } sampled) continue;
            var o = WarehouseReceiptsModel.Options(planned[i].Config);
            options ??= o;
            if (o.Start != options.Start || o.Warehouses != options.Warehouses || o.Banks != options.Banks) continue;
            var trails = new SortedDictionary<int, List<LotStep>>();
            foreach (var (lot, steps) in sampled) trails[lot] = [.. steps.Select(s => new LotStep(s.AtNs, s.Who, (LotStage)s.Stage, s.Detail))];
            lanes.Add((points[i].Variant, o.Registry == PledgeRegistry.OnChain, trails));
        }
        if (options is null || lanes.Count == 0) return null;
        var clock = new RunClock(options.Start);
        var zone = BusinessCalendars.China2026().Zone;
        var names = LotTrail.Institutions(options);

        var common = lanes.Select(l => l.Trails.Keys.AsEnumerable()).Aggregate((a, b) => a.Intersect(b)).Order().ToList();
        var journeys = new List<(Journey Journey, int Funded, int Refused)>();
        foreach (var lot in common)
        {
            var first = lanes[0].Trails[lot];
            var banks = first.Where(s => s.Stage == LotStage.Applied).Select(s => s.Who).Distinct().Count();
            var receipts = first.Count(s => s.Stage == LotStage.ReceiptIssued);
            var title = $"Lot {(lot + 1).ToString("N0", CultureInfo.InvariantCulture)} at {names[first[0].Who]}: {receipts} receipt{(receipts == 1 ? "" : "s")}, applications to {banks} bank{(banks == 1 ? "" : "s")}";
            var laneSteps = lanes.Select(l => new JourneyLane(l.Variant, [.. l.Trails[lot].Select(s =>
                new JourneyStep(s.AtNs / 1e9, clock.Label(new SimTime(s.AtNs), zone), What(s, names[s.Who], l.OnChain), Who(s, names[s.Who], l.OnChain)))])).ToList();
            // The contrast the scenario is about: banks funding the same goods apart, the contract refusing the extra pledges.
            var funded = lanes.Where(l => !l.OnChain).Select(l => l.Trails[lot].Count(s => s.Stage == LotStage.Funded)).DefaultIfEmpty(0).Max();
            var refused = lanes.Where(l => l.OnChain).Select(l => l.Trails[lot].Count(s => s.Stage is LotStage.Refused or LotStage.IssueRefused)).DefaultIfEmpty(0).Max();
            journeys.Add((new Journey(title, "", laneSteps), funded, refused));
        }
        if (journeys.Count == 0) return null;
        // Default pick: the lot funded by most banks under separate registries while the contract refused an extra pledge or receipt (the first such).
        var pick = 0;
        for (int i = 1; i < journeys.Count; i++)
            if (Telling(journeys[i]) > Telling(journeys[pick])) pick = i;
        var offered = journeys.Select(j => j.Journey).ToList();
        var (_, f, r) = journeys[pick];
        var note = f > 1 && r > 0
            ? $"The same goods back {f} loans from {f} banks whose registries cannot see each other; on chain the receipt contract refuses the extra pledge or receipt."
            : "";
        var chosen = offered[pick] with { Note = note };
        offered.RemoveAt(pick);
        offered.Insert(0, chosen);
        return new JourneySet("lot", "Beijing time (UTC+8)", [.. names, Ledger], [.. offered.Take(Offered)]);
    }

    private static int Telling((Journey, int Funded, int Refused) j) => j.Refused > 0 ? j.Funded : 0;

    private static string Cny(long cny) => cny.ToString("N0", CultureInfo.InvariantCulture) + " CNY";

    private static string What(LotStep s, string who, bool onChain) => s.Stage switch
    {
        LotStage.Arrived => onChain ? $"The lot arrives at {who}; the sensors post its intake weight to the ledger" : $"The lot arrives at {who}",
        LotStage.ReceiptIssued => (s.Detail == 1 ? $"{who} issues a phantom receipt for the same goods" : $"{who} issues the receipt") + (onChain ? " on the ledger" : " on paper"),
        LotStage.IssueRefused => $"The receipt contract refuses {who}'s {(s.Detail == 1 ? "phantom " : "")}receipt: tonnage exceeds the attested stock",
        LotStage.Applied => $"The owner applies to {who} for a loan of {Cny(s.Detail)} against a receipt",
        LotStage.DiligenceDone => onChain ? $"{who} ends due diligence and registers the pledge with the receipt contract" : $"{who} ends due diligence, checking only its own registry",
        LotStage.Funded => $"{who} lends {Cny(s.Detail)}" + (onChain ? " (the contract accepted the pledge)" : ""),
        LotStage.Refused => (onChain ? $"The receipt contract refuses {who}'s pledge: " : $"{who} refuses: ") + LotTrail.Reasons[(int)Math.Clamp(s.Detail, 0, LotTrail.Reasons.Count - 1)].Text,
        LotStage.RemovalStarted => $"The owner starts taking the goods out of the bay at {who}",
        LotStage.SensorFlag => $"{who}'s sensors flag the lot on the ledger (weight or location off its attested value)",
        LotStage.Detected => s.Detail switch
        {
            (long)Detection.Inspection => $"{who}'s inspection finds the lot short",
            (long)Detection.Sensors => $"{who} learns of the sensor flag and calls the loan",
            (long)Detection.Disposal => $"{who} finds the goods short or gone at disposal",
            _ => $"{who} finds the fraud",
        },
        LotStage.Released => $"The owner repays {who}; the receipt is released",
        LotStage.Disposed => $"{who} takes the goods for disposal and recovers {Cny(s.Detail)}",
        _ => s.Stage.ToString(),
    };

    private static string[] Who(LotStep s, string who, bool onChain) =>
        onChain && s.Stage is LotStage.Arrived or LotStage.ReceiptIssued or LotStage.IssueRefused or LotStage.DiligenceDone or LotStage.Funded or LotStage.Refused or LotStage.SensorFlag
            ? [who, Ledger] : [who];
}
