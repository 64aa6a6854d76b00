using System.Globalization;
using Lab.Finance.Calendars;
using Lab.Finance.Securities;
using Lab.Finance.Securities.Market;
using Lab.Reports;
using Lab.Sim.Metrics;
using Lab.Sim.Time;
using static Lab.Finance.Securities.SecuritiesMetrics;

namespace Lab.Experiments.Models;

/// <summary>
/// The securities report's "follow one trade": each run records the stages of a sample of trades as aligned samples
/// (<see cref="SecuritiesMetrics.JourneyTrade"/> and the <c>journey_*_s</c> times); after the runs, <see cref="Follow"/>
/// pairs the same trades across variants (the same seed and market give the same trades) and writes every stage in
/// the market's local time, with the institutions that acted.
/// </summary>
internal static class SecuritiesJourneys
{
    /// <summary>Trades recorded per run: enough to pick from, few enough to keep summary.json small.</summary>
    private const int Recorded = 40;
    /// <summary>Trades offered in the report's picker.</summary>
    private const int Offered = 12;

    public const string Exchange = "exchange", Buyer = "buyer's broker", Seller = "seller's broker", Ccp = "CCP", Csd = "CSD",
        Bank = "settlement bank", Chain = "chain replicas";

    /// <summary>Writes the journey samples of one run from its timeline sample (executed trades, spread over the run).</summary>
    public static void Record(RunMetrics m, IReadOnlyList<TradeTimeline> sample)
    {
        if (sample.Count == 0) return;
        // The first sampled trade at or after each of Recorded evenly spaced trade indices: the same trades in every
        // variant unless one variant rejected a trade the other executed (Follow pairs by index, so that only drops it).
        var stride = Math.Max(1, (sample[^1].Index + 1) / Recorded);
        var picked = new List<TradeTimeline>();
        foreach (var t in sample)
            if (t.Index >= picked.Count * stride && picked.Count < Recorded) picked.Add(t);
        static double S(double? v) => v ?? -1;
        void Put(string name, Func<TradeTimeline, double> f) => m.Samples[name] = [.. picked.Select(f)];
        Put(JourneyTrade, t => t.Index);
        Put(JourneyBuyer, t => t.Buyer);
        Put(JourneySeller, t => t.Seller);
        Put(JourneyExecuted, t => t.ExecutedS);
        Put(JourneyAffirmed, t => S(t.AffirmedS));
        Put(JourneyNovated, t => S(t.NovatedS));
        Put(JourneyNetted, t => S(t.NettedS));
        Put(JourneySubmitted, t => S(t.SubmittedS));
        Put(JourneyDelivered, t => S(t.DeliveredS));
        Put(JourneySettled, t => S(t.SettledS));
    }

    /// <summary>
    /// One lane per variant (its first point's first replication) of the first variant's market and start, the trades
    /// every lane followed, and as the default pick a trade executed before a weekend or holiday that T+n settles after it.
    /// </summary>
    public static JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<PointResult> points, string onChainScalar)
    {
        var lanes = new List<(string Variant, bool OnChain, RunMetrics Metrics)>();
        SecuritiesOptions? first = null;
        for (int i = 0; i < points.Count; i++)
        {
            if (lanes.Any(l => l.Variant == points[i].Variant) || points[i].Replications.Count == 0) continue;
            var m = points[i].Replications[0].Metrics;
            if (!m.Samples.ContainsKey(JourneyTrade)) continue;
            var options = SecuritiesModel.Options(planned[i].Config);
            first ??= options;
            if (options.Market != first.Market || options.Start != first.Start) continue; // another market trades other trades
            lanes.Add((points[i].Variant, m.Scalars.GetValueOrDefault(onChainScalar) == 1, m));
        }
        if (first is null) return null;
        var calendar = MarketRules.Named(first.Market).Calendar;
        var clock = new RunClock(first.Start);
        var names = new MarketNames(first.Orders.Members, 1);

        var common = lanes.Select(l => l.Metrics.Samples[JourneyTrade].Select(x => (int)x)).Aggregate((a, b) => a.Intersect(b)).Order().ToList();
        var journeys = new List<(Journey Journey, bool AcrossWeekend)>();
        foreach (var trade in common)
        {
            var laneSteps = new List<JourneyLane>();
            var acrossWeekend = false;
            string title = "";
            foreach (var (variant, onChain, m) in lanes)
            {
                var at = Array.IndexOf(m.Samples[JourneyTrade], trade);
                double Get(string name) => m.Samples[name][at];
                title = $"Trade {(trade + 1).ToString("N0", CultureInfo.InvariantCulture)}: {names.Member((int)Get(JourneyBuyer))} buys from {names.Member((int)Get(JourneySeller))}";
                var steps = new List<JourneyStep>();
                void Step(string metric, string what, params string[] who)
                {
                    var s = Get(metric);
                    if (s >= 0) steps.Add(new JourneyStep(s, Local(clock, calendar, s), what, who));
                }
                if (onChain)
                {
                    Step(JourneyExecuted, "Executed on the exchange; both legs locked at order entry", Exchange, Buyer, Seller);
                    Step(JourneySubmitted, "DvP submitted to the chain", Exchange, Chain);
                    Step(JourneySettled, "Committed: shares and cash change hands in one contract call (DvP), final", Chain);
                }
                else
                {
                    Step(JourneyExecuted, "Executed on the exchange and reported to the CCP", Exchange, Buyer, Seller);
                    Step(JourneyAffirmed, "Block affirmed by the institution (eligible to settle trade for trade)", Buyer, Ccp);
                    Step(JourneyNovated, "Locked in and novated: the CCP becomes buyer to the seller and seller to the buyer", Ccp);
                    Step(JourneyNetted, "Netting cut-off: the trade's legs enter the settlement batch", Ccp, Csd);
                    Step(JourneyDelivered, "Shares delivered at the depository", Csd, Buyer, Seller);
                    Step(JourneySettled, "Net money settled at the settlement bank: the trade is final", Bank, Ccp);
                    var executed = Get(JourneyExecuted);
                    var settled = Get(JourneySettled);
                    // The weekend effect: settled on a later business day with a non-business day in between.
                    if (executed >= 0 && settled >= 0)
                    {
                        var from = clock.LocalDate(new SimTime((long)Math.Round(executed * 1e9)), calendar);
                        var to = clock.LocalDate(new SimTime((long)Math.Round(settled * 1e9)), calendar);
                        for (var d = from.AddDays(1); d < to && !acrossWeekend; d = d.AddDays(1)) acrossWeekend = !calendar.IsBusinessDay(d);
                    }
                }
                if (Get(JourneySettled) < 0) steps.Add(new JourneyStep(steps.Count > 0 ? steps[^1].AtSeconds : 0, "", "Not final by the end of the run", []));
                laneSteps.Add(new JourneyLane(variant, steps));
            }
            journeys.Add((new Journey(title, "", laneSteps), acrossWeekend));
        }
        if (journeys.Count == 0) return null;
        var pick = journeys.FindIndex(j => j.AcrossWeekend);
        var offered = journeys.Select(j => j.Journey).ToList();
        if (pick >= 0)
        {
            offered.RemoveAt(pick);
            offered.Insert(0, journeys[pick].Journey with { Note = "Executed before a weekend or holiday: the deferred settlement waits for the next business days; on chain it does not." });
        }
        return new JourneySet("trade", calendar.Zone.Id, [Exchange, Buyer, Seller, Ccp, Csd, Bank, Chain], [.. offered.Take(Offered)]);
    }

    private static string Local(RunClock clock, BusinessCalendar calendar, double seconds) =>
        clock.Label(new SimTime((long)Math.Round(seconds * 1e9)), calendar.Zone);
}
