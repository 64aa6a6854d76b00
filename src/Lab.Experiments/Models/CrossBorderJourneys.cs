using System.Globalization;
using Lab.Finance.Calendars;
using Lab.Finance.CrossBorder;
using Lab.Reports;
using Lab.Sim.Time;
using static Lab.Finance.CrossBorder.CrossBorderMetrics;

namespace Lab.Experiments.Models;

/// <summary>
/// The cross-border report's "follow one payment": each run records the trail of a sample of payments (the
/// <c>journey_*</c> samples, one per step, written by the banks as they act); <see cref="Follow"/> pairs the same payments
/// across variants (the same seed gives the same payments) and writes every step in the acting bank's local time.
/// </summary>
internal static class CrossBorderJourneys
{
    /// <summary>Payments offered in the report's picker.</summary>
    private const int Offered = 12;
    public const string Ledger = "ledger";

    public static JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<PointResult> points)
    {
        var lanes = new List<(string Variant, Dictionary<int, List<PaymentStep>> Trails)>();
        CrossBorderOptions? options = null;
        for (int i = 0; i < points.Count; i++)
        {
            if (lanes.Any(l => l.Variant == points[i].Variant) || points[i].Replications.Count == 0) continue;
            var m = points[i].Replications[0].Metrics;
            if (JourneySamples.Trails(m, JourneyPayment) is not { } sampled) continue;
            var o = CrossBorderModel.Options(planned[i].Config);
            options ??= o;
            if (o.Start != options.Start || !o.Banks.Select(b => b.Name).SequenceEqual(options.Banks.Select(b => b.Name))) continue;
            var trails = sampled.ToDictionary(x => x.Key, x => x.Value.Select(s => new PaymentStep(s.AtNs, s.Who, (PaymentStage)s.Stage)).ToList());
            lanes.Add((points[i].Variant, trails));
        }
        if (options is null || lanes.Count == 0) return null;
        var clock = new RunClock(options.Start);
        var banks = options.Banks;
        string Name(int b) => banks[b].Name;

        var common = lanes.Select(l => l.Trails.Keys.AsEnumerable()).Aggregate((a, b) => a.Intersect(b)).Order().ToList();
        var journeys = new List<(Journey Journey, double Score)>();
        foreach (var payment in common)
        {
            var sender = lanes[0].Trails[payment][0].Bank;
            var receiver = lanes.SelectMany(l => l.Trails[payment]).Where(s => s.Stage is PaymentStage.Credited or PaymentStage.Final).Select(s => s.Bank).DefaultIfEmpty(-1).First();
            var title = $"Payment {(payment + 1).ToString("N0", CultureInfo.InvariantCulture)}: {Name(sender)} to {(receiver >= 0 ? Name(receiver) : "(not credited)")}";
            var laneSteps = lanes.Select(l => new JourneyLane(l.Variant, [.. l.Trails[payment].OrderBy(s => s.AtNs).Select(s =>
                new JourneyStep(s.AtNs / 1e9, clock.Label(new SimTime(s.AtNs), banks[s.Bank].Zone), What(s, Name(s.Bank)), Who(s, Name(s.Bank))))])).ToList();
            // How long the slowest lane took from the instruction to its last step.
            var span = laneSteps.Max(l => l.Steps.Count == 0 ? 0 : l.Steps[^1].AtSeconds - l.Steps[0].AtSeconds);
            journeys.Add((new Journey(title, "", laneSteps), span));
        }
        if (journeys.Count == 0) return null;
        // Default pick: the payment whose slowest lane took longest, up to three days (longer ones are usually stuck, not slow).
        var pick = 0;
        for (int i = 1; i < journeys.Count; i++)
            if (journeys[i].Score <= 3 * 86400 && (journeys[i].Score > journeys[pick].Score || journeys[pick].Score > 3 * 86400)) pick = i;
        var offered = journeys.Select(j => j.Journey).ToList();
        var chosen = offered[pick] with { Note = $"The slowest of the followed payments to finish, short of three days ({Lab.Reports.Html.FollowOneTrade.Human(journeys[pick].Score)}): watch the opening hours and cut-offs it waits for." };
        offered.RemoveAt(pick);
        offered.Insert(0, chosen);
        return new JourneySet("payment", "each bank's own time zone", [.. banks.Select(b => b.Name), Ledger], [.. offered.Take(Offered)]);
    }

    private static string What(PaymentStep s, string bank) => s.Stage switch
    {
        PaymentStage.Instructed => $"The originator's instruction reaches {bank}",
        PaymentStage.Arrived => $"pacs.008 arrives at {bank}",
        PaymentStage.PassedOn => $"{bank} screens it and sends pacs.008 on",
        PaymentStage.Converted => $"{bank} converts it into the receiver's currency and sends pacs.008 on",
        PaymentStage.Rejected => $"{bank}'s compliance rejects it: a return (pacs.004) starts back",
        PaymentStage.ReturnArrived => $"The return reaches {bank}",
        PaymentStage.ReturnPassedOn => $"{bank} passes the return back",
        PaymentStage.Returned => $"The funds are back on the originator's account at {bank}",
        PaymentStage.Credited => $"{bank} credits the beneficiary",
        PaymentStage.Submitted => $"{bank} screens it and submits the PvP call to the ledger",
        PaymentStage.Final => $"Final on the ledger: both currencies swap in one contract call; {bank} credits the beneficiary",
        PaymentStage.Refused => "The ledger's contract refuses it (KYC or sanctions rules)",
        _ => s.Stage.ToString(),
    };

    private static string[] Who(PaymentStep s, string bank) =>
        s.Stage is PaymentStage.Submitted or PaymentStage.Final or PaymentStage.Refused ? [bank, Ledger] : [bank];
}
