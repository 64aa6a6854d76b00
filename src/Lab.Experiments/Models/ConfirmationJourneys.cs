using System.Globalization;
using Lab.Finance.Calendars;
using Lab.Finance.Confirmations;
using Lab.Reports;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// The bank-confirmation report's "follow one confirmation": each run records the trail of a sample of requests (the
/// <c>journey_*</c> samples, written by the firm, client and bank desks as they act); <see cref="Follow"/> pairs the same
/// requests across the channels (the same seed gives the same requests and draws) and writes every step in Beijing time,
/// where every party works.
/// </summary>
internal static class ConfirmationJourneys
{
    /// <summary>Requests offered in the report's picker.</summary>
    private const int Offered = 12;
    public const string Ledger = "platform ledger";

    public static JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<PointResult> points)
    {
        var lanes = new List<(string Variant, bool OnChain, SortedDictionary<int, List<SampledStep>> Trails)>();
        ConfirmationOptions? options = null;
        for (int i = 0; i < points.Count; i++)
        {
            if (lanes.Any(l => l.Variant == points[i].Variant) || points[i].Replications.Count == 0) continue;
            if (JourneySamples.Trails(points[i].Replications[0].Metrics, ConfirmationMetrics.JourneyRequest) is not { } trails) continue;
            var o = BankConfirmationsModel.Options(planned[i].Config);
            options ??= o;
            if (o.Start != options.Start || o.AuditFirms != options.AuditFirms || o.Clients != options.Clients || o.Banks != options.Banks) continue;
            lanes.Add((points[i].Variant, o.Channel == ConfirmationChannel.OnChain, trails));
        }
        if (options is null || lanes.Count == 0) return null;
        var clock = new RunClock(options.Start);
        var zone = BusinessCalendars.China2026().Zone;
        string[] names = [.. Enumerable.Range(0, options.AuditFirms).Select(ConfirmationBook.Firm), .. Enumerable.Range(0, options.Clients).Select(ConfirmationBook.Client),
            .. Enumerable.Range(0, options.Banks).Select(ConfirmationBook.Bank)];

        var common = lanes.Select(l => l.Trails.Keys.AsEnumerable()).Aggregate((a, b) => a.Intersect(b)).Order().ToList();
        var journeys = new List<(Journey Journey, int Kind, double PaperSpan)>();
        foreach (var request in common)
        {
            var all = lanes.SelectMany(l => l.Trails[request]).ToList();
            string Party(int from, int to) => all.Where(s => s.Who >= from && s.Who < to).Select(s => names[s.Who]).DefaultIfEmpty("?").First();
            var (firm, client, bank) = (Party(0, options.AuditFirms), Party(options.AuditFirms, options.AuditFirms + options.Clients),
                Party(options.AuditFirms + options.Clients, names.Length));
            var title = $"Confirmation {(request + 1).ToString("N0", CultureInfo.InvariantCulture)}: {firm} asks {bank} about {client}";
            var laneSteps = lanes.Select(l => new JourneyLane(l.Variant, [.. l.Trails[request].OrderBy(s => s.AtNs).Select(s =>
                new JourneyStep(s.AtNs / 1e9, clock.Label(new SimTime(s.AtNs), zone), What(s, names[s.Who], l.OnChain), Who(s, names[s.Who], l.OnChain)))])).ToList();
            // What makes it telling: 2 a forged reply paper accepts and the ledger refuses, 1 a paper query and second request.
            var kind = all.Any(s => s.Stage == (int)ConfirmationStage.TamperRefused) ? 2 : all.Any(s => s.Stage == (int)ConfirmationStage.QueryPosted) ? 1 : 0;
            var paperSpan = lanes.Where(l => !l.OnChain).Select(l => l.Trails[request]).Select(t => (t[^1].AtNs - t[0].AtNs) / 1e9).DefaultIfEmpty(0).Max();
            journeys.Add((new Journey(title, "", laneSteps), kind, paperSpan));
        }
        if (journeys.Count == 0) return null;
        // Default pick: a forged reply (paper accepts it, the ledger refuses the substituted copy), else a paper query, else the slowest on paper.
        var pick = journeys.Select((j, i) => (j, i)).OrderByDescending(x => x.j.Kind).ThenByDescending(x => x.j.PaperSpan).ThenBy(x => x.i).First().i;
        var offered = journeys.Select(j => j.Journey).ToList();
        var note = journeys[pick].Kind switch
        {
            2 => "A fraudster swaps the bank's reply for a forgery: on paper the firm accepts it; on the platform the contract refuses the substituted copy's digest and the firm downloads the real one.",
            1 => "The bank cannot answer the first letter: a query and a second request go through the post before the reply.",
            _ => $"The slowest of the followed requests on paper ({Lab.Reports.Html.FollowOneTrade.Human(journeys[pick].PaperSpan)}): watch the post and the desks.",
        };
        var chosen = offered[pick] with { Note = note };
        offered.RemoveAt(pick);
        offered.Insert(0, chosen);
        offered = [.. offered.Take(Offered)];
        // Institutions: the parties the offered requests name, in the order firms, clients, banks.
        var named = offered.SelectMany(j => j.Lanes).SelectMany(l => l.Steps).SelectMany(s => s.Who).ToHashSet();
        return new JourneySet("confirmation", "Beijing time (UTC+8)", [.. names.Where(named.Contains), Ledger], offered);
    }

    private static string What(SampledStep s, string who, bool onChain) => (ConfirmationStage)s.Stage switch
    {
        ConfirmationStage.Sent => onChain ? $"{who} submits the sealed request to the platform" : $"{who} posts the request letter to the client",
        ConfirmationStage.Requested => $"The request is final on the ledger; the platform notifies the client",
        ConfirmationStage.ClientHasIt => onChain ? $"{who} gets the platform's notice" : $"The letter reaches {who}",
        ConfirmationStage.Withheld => $"{who} never signs or authorises it: the bank must not reply",
        ConfirmationStage.ClientActed => onChain ? $"{who} submits its sealed authorisation" : $"{who} signs and stamps the letter and posts it to its bank",
        ConfirmationStage.Authorised => $"{who}'s authorisation is final on the ledger; the platform notifies the bank",
        ConfirmationStage.BankHasIt => onChain ? $"{who}'s confirmation desk gets the platform's notice" : s.Detail == 1 ? $"The second request reaches {who}'s desk" : $"The letter reaches {who}'s confirmation desk",
        ConfirmationStage.QueryPosted => $"{who} cannot answer (seal mismatch or accounts not found) and posts a query to the firm",
        ConfirmationStage.QueryArrived => $"The bank's query reaches {who}",
        ConfirmationStage.SecondRequestPosted => $"{who} posts a second request to the bank",
        ConfirmationStage.ReplySent => onChain ? $"{who} submits its reply, sealed for the firm" : $"{who} posts its reply to the firm",
        ConfirmationStage.Replied => $"{who}'s reply is final; its digest is anchored on the ledger and the platform notifies the firm",
        ConfirmationStage.Downloaded => s.Detail == 1 ? $"{who} downloads a substituted reply (a forgery sealed for it) and acknowledges its digest" : $"{who} downloads the sealed reply, opens it and acknowledges its digest",
        ConfirmationStage.TamperRefused => $"The contract refuses {who}'s acknowledgement: the digest is not the one the bank anchored",
        ConfirmationStage.Received => onChain ? $"{who}'s acknowledgement is final: the confirmation is received" : s.Detail == 1 ? $"A forged reply on the bank's form reaches {who}, which accepts it" : $"The reply reaches {who}",
        _ => ((ConfirmationStage)s.Stage).ToString(),
    };

    private static string[] Who(SampledStep s, string who, bool onChain) =>
        onChain && (ConfirmationStage)s.Stage is ConfirmationStage.Requested or ConfirmationStage.Authorised or ConfirmationStage.Replied or ConfirmationStage.TamperRefused or ConfirmationStage.Received
            ? [who, Ledger] : [who];
}
