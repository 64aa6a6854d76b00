using Lab.Finance.Calendars;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Finance.Securities;

/// <summary>
/// The trade list of a run, generated up front from its own random stream ("securities.trades"),
/// so it depends on the seed and the market options only — never on how trades settle.
/// Trades are ordered by execution time; <see cref="Trade.Index"/> is the position in that order.
/// </summary>
public sealed class TradeTape
{
    public const string StreamName = "securities.trades";

    private TradeTape(IReadOnlyList<Trade> trades, long[] referencePriceFen, IReadOnlyList<DateOnly> tradingDays)
    {
        Trades = trades;
        ReferencePriceFen = referencePriceFen;
        TradingDays = tradingDays;
    }

    public IReadOnlyList<Trade> Trades { get; }
    /// <summary>Reference price per security (minor units per share), to value security positions.</summary>
    public IReadOnlyList<long> ReferencePriceFen { get; }
    public IReadOnlyList<DateOnly> TradingDays { get; }

    public static TradeTape Generate(MarketOptions market, BusinessCalendar calendar, RunClock clock, ulong seed)
    {
        market.Validate();
        calendar.Validate();
        var rng = SimRandom.Stream(seed, StreamName);

        // Trading minutes of every business day in the window, weighted by a U-shaped intraday profile.
        var end = market.TradingWindow.Nanos;
        var days = new List<DateOnly>();
        var bucketStart = new List<long>();
        var cumulative = new List<double>();
        double total = 0;
        var dayLengthMin = calendar.TradingDayLength.TotalMinutes;
        var first = clock.LocalDate(SimTime.Zero, calendar);
        for (var d = first; clock.NanosAt(d, TimeOnly.MinValue, calendar) < end; d = d.AddDays(1))
        {
            if (!calendar.IsBusinessDay(d)) continue;
            var used = false;
            double elapsedMin = 0;
            foreach (var s in calendar.Sessions)
            {
                var minutes = (int)(s.Close - s.Open).TotalMinutes;
                for (int m = 0; m < minutes; m++, elapsedMin++)
                {
                    var at = clock.NanosAt(d, s.Open.AddMinutes(m), calendar);
                    if (at < 0 || at + 60_000_000_000L > end) continue;
                    var x = (elapsedMin + 0.5) / dayLengthMin;
                    total += 1 + market.OpenCloseBoost * (2 * x - 1) * (2 * x - 1);
                    bucketStart.Add(at);
                    cumulative.Add(total);
                    used = true;
                }
            }
            if (used) days.Add(d);
        }
        if (market.Trades > 0 && bucketStart.Count == 0)
            throw new ArgumentException($"no trading minutes between the run start and {market.TradingWindow}: check the start date and calendar");

        var memberCum = Cumulative(Enumerable.Range(0, market.Members).Select(_ => Math.Exp(market.MemberActivitySigma * Normal(rng))).ToArray());
        var securityCum = Cumulative(Enumerable.Range(0, market.Securities).Select(k => 1 / Math.Pow(k + 1, market.SecurityZipf)).ToArray());
        var refPrice = new long[market.Securities];
        for (int s = 0; s < refPrice.Length; s++)
            refPrice[s] = Math.Max(1, (long)Math.Round(market.PricePerShare.Sample(rng) * 100));

        var raw = new (long At, int Buyer, int Seller, int Security, long Qty, long Price, long Affirmed, double Fail)[market.Trades];
        for (int i = 0; i < raw.Length; i++)
        {
            var b = Pick(cumulative, rng.NextDouble() * total);
            var at = bucketStart[b] + rng.NextInt64(0, 60_000_000_000L);
            var buyer = Pick(memberCum, rng.NextDouble() * memberCum[^1]);
            int seller;
            do seller = Pick(memberCum, rng.NextDouble() * memberCum[^1]); while (seller == buyer);
            var security = Pick(securityCum, rng.NextDouble() * securityCum[^1]);
            var lots = Math.Max(1, (long)Math.Ceiling(market.Quantity.Sample(rng) / market.RoundLot));
            var price = Math.Max(1, (long)Math.Round(refPrice[security] * (1 + market.PriceNoise * (2 * rng.NextDouble() - 1))));
            var delay = (long)(rng.NextExponential(1.0) * market.AffirmationDelayMean.Nanos);
            long affirmed;
            if (rng.NextDouble() < market.AffirmedSameDayShare) affirmed = at + delay;
            else
            {
                // Late affirmation: the next business morning, after the open.
                var local = clock.Local(new SimTime(at), calendar);
                var next = calendar.NextBusinessDay(DateOnly.FromDateTime(local));
                affirmed = clock.NanosAt(next, calendar.Sessions[0].Open, calendar) + delay;
            }
            raw[i] = (at, buyer, seller, security, lots * market.RoundLot, price, affirmed, rng.NextDouble());
        }
        // Stable order by time (ties keep generation order).
        var order = Enumerable.Range(0, raw.Length).OrderBy(i => raw[i].At).ThenBy(i => i).ToArray();
        var trades = new Trade[raw.Length];
        for (int k = 0; k < order.Length; k++)
        {
            var r = raw[order[k]];
            trades[k] = new Trade(k, r.At, r.Buyer, r.Seller, r.Security, r.Qty, r.Price, r.Affirmed, r.Fail);
        }
        return new TradeTape(trades, refPrice, days);
    }

    /// <summary>A tape from explicit trades (tests, replays). Indices must be 0..n-1 in time order.</summary>
    public static TradeTape Of(IReadOnlyList<Trade> trades, long[] referencePriceFen, IReadOnlyList<DateOnly>? days = null)
    {
        for (int i = 0; i < trades.Count; i++)
        {
            if (trades[i].Index != i) throw new ArgumentException($"trade {i} has index {trades[i].Index}");
            if (i > 0 && trades[i].ExecutedAtNs < trades[i - 1].ExecutedAtNs) throw new ArgumentException("trades must be in time order");
        }
        return new TradeTape(trades, referencePriceFen, days ?? []);
    }

    private static double[] Cumulative(double[] w)
    {
        for (int i = 1; i < w.Length; i++) w[i] += w[i - 1];
        return w;
    }

    private static int Pick(IReadOnlyList<double> cumulative, double u)
    {
        int lo = 0, hi = cumulative.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (cumulative[mid] > u) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    private static int Pick(double[] cumulative, double u) => Pick((IReadOnlyList<double>)cumulative, u);

    private static double Normal(SimRandom rng)
    {
        // Box–Muller; one draw per call keeps the stream layout simple.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
