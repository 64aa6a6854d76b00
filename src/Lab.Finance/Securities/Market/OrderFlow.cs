using Lab.Finance.Calendars;
using Lab.Sim.Randomness;

namespace Lab.Finance.Securities.Market;

/// <summary>
/// Generates the day's order flow, member by member, from what each member is and holds — not from
/// how trades will settle. Per business day: the opening call auction, continuous trading with a
/// U-shaped intraday rate, and the closing call auction. In continuous trading an aggressor order
/// comes from an agency broker (client flow, buys and sells in balance), a directional institution
/// (working its programme for the day, sometimes as a negotiated block) or a market maker shedding
/// inventory; the passive side is a market maker (preferring the one whose inventory the trade
/// reduces) or another agency broker. Market makers flatten what they can at the closing auction.
///
/// Every order respects the member's own book as the member sees it (its opening balance sheet plus
/// its trades so far, as if they settle): sales need holdings (China: holdings at the start of the
/// day, under the T+1 trading rule; US market makers may go short within their inventory limit),
/// purchases need cash. Whether the trade is then accepted at order entry, fails, or defaults is for
/// the settlement variant to decide.
/// </summary>
public static class OrderFlow
{
    public const string StreamName = "securities.trades";

    private sealed record Programme(int Member, int Security, bool Buy)
    {
        public long Remaining;
    }

    public static TradeTape Generate(MarketOptions market, MarketRules rules, PricePath prices, BalanceSheet sheet, RunClock clock, ulong seed)
    {
        market.Validate();
        var calendar = rules.Calendar;
        calendar.Validate();
        var rng = SimRandom.Stream(seed, StreamName);
        var m = market.Members;
        var s = market.Securities;
        var lot = rules.LotSize;
        var days = TradingDays(market, calendar, clock);
        var totalMinutes = days.Sum(d => d.Minutes.Count);
        var zipf = TradeTape.Popularity(s, market.SecurityZipf);
        var zipfCum = Cumulative(zipf);
        var meanQty = Math.Max(lot, market.Quantity.Mean);
        var tradesPerDay = market.Trades / Math.Max(1.0, days.Count);

        var byType = Enumerable.Range(0, 3).Select(t => sheet.Members.Where(x => (int)x.Type == t).ToArray()).ToArray();
        var cumByType = byType.Select(g => Cumulative(g.Select(x => x.Activity).ToArray())).ToArray();
        var mms = byType[(int)MemberType.MarketMaker];
        var agency = byType[(int)MemberType.Agency];
        var directional = byType[(int)MemberType.Directional];

        // The members' books (what each believes it holds): cash, holdings, sellable today, and market makers' home inventory.
        var cash = sheet.Cash.ToArray();
        var hold = sheet.Holdings.ToArray();
        var sellable = sheet.Holdings.ToArray();
        var home = sheet.Holdings.ToArray();
        var limit = sheet.InventoryLimit;

        var raw = new List<Trade>(market.Trades + 64);
        foreach (var day in days)
        {
            var planned = (int)Math.Round(market.Trades * (double)day.Minutes.Count / Math.Max(1, totalMinutes));
            var programmes = Programmes(day.Date);
            var opening = calendar.OpeningAuction is null ? 0 : (int)Math.Round(planned * rules.OpeningAuctionShare);
            var closing = calendar.ClosingAuction is null ? 0 : (int)Math.Round(planned * rules.ClosingAuctionShare);
            var continuous = Math.Max(0, planned - opening - closing);

            var openAt = clock.NanosAt(day.Date, calendar.OpenOn(day.Date), calendar);
            for (int i = 0; i < opening; i++) Auction(openAt, TradeKind.OpeningAuction);

            var times = new long[continuous];
            for (int i = 0; i < continuous; i++)
            {
                var b = Pick(day.Cumulative, rng.NextDouble() * day.Cumulative[^1]);
                times[i] = day.Minutes[b] + rng.NextInt64(0, 60_000_000_000L);
            }
            Array.Sort(times);
            foreach (var at in times) Continuous(at, programmes);

            var closeAt = clock.NanosAt(day.Date, calendar.CloseOn(day.Date), calendar);
            for (int i = 0; i < closing; i++) Auction(closeAt, TradeKind.ClosingAuction);
            // Market makers flatten what they may at the close (in China not what they bought today).
            foreach (var mm in mms)
                for (int k = 0; k < s; k++)
                {
                    var dev = hold[mm.Index * s + k] - home[mm.Index * s + k];
                    if (dev == 0) continue;
                    var other = Agency();
                    if (dev > 0) Try(closeAt, TradeKind.ClosingAuction, other, mm.Index, k, dev, prices.MidMinor(k, closeAt));
                    else Try(closeAt, TradeKind.ClosingAuction, mm.Index, other, k, -dev, prices.MidMinor(k, closeAt));
                }
            // Overnight everything held becomes sellable (China's T+1 rule).
            Array.Copy(hold, sellable, hold.Length);
        }

        var ordered = raw.Select((t, i) => (t, i)).OrderBy(x => x.t.ExecutedAtNs).ThenBy(x => x.i).Select(x => x.t).ToList();
        return TradeTape.Of(ordered.Select((t, i) => t with { Index = i }).ToList(), days.Select(d => d.Date).ToList());

        List<Programme> Programmes(DateOnly date)
        {
            var list = new List<Programme>();
            foreach (var d in directional)
            {
                var chosen = new HashSet<int>();
                for (int tries = 0; chosen.Count < Math.Min(market.ProgrammesPerDay, s) && tries < 10 * s; tries++)
                    chosen.Add(Pick(zipfCum, rng.NextDouble()));
                foreach (var k in chosen.Order())
                {
                    var size = (long)(market.ProgrammeParticipation * tradesPerDay * zipf[k] * meanQty * (0.5 + rng.NextDouble()));
                    size = Math.Max(lot, size / lot * lot);
                    var held = sellable[d.Index * s + k];
                    var buy = held < size || rng.NextDouble() < 0.5;
                    list.Add(new Programme(d.Index, k, buy) { Remaining = buy ? size : Math.Min(size, held / lot * lot) });
                }
            }
            return list;
        }

        void Continuous(long at, List<Programme> programmes)
        {
            var u = rng.NextDouble();
            var live = programmes.Where(p => p.Remaining > 0).ToList();
            if (u < market.DirectionalFlowShare && live.Count > 0)
            {
                var p = live[rng.Next(live.Count)];
                var block = rng.NextDouble() < market.BlockShare;
                var qty = Lots(market.Quantity.Sample(rng) * (block ? market.BlockSizeMultiple : 2));
                qty = Math.Min(qty, p.Remaining);
                var other = Passive(p.Security, p.Buy ? -qty : qty, p.Member);
                var kind = block ? TradeKind.Block : TradeKind.Continuous;
                var done = p.Buy ? Try(at, kind, p.Member, other, p.Security, qty, Price(p.Security, at, true))
                                 : Try(at, kind, other, p.Member, p.Security, qty, Price(p.Security, at, false));
                p.Remaining -= done;
                return;
            }
            var k = Pick(zipfCum, rng.NextDouble());
            if (u < market.DirectionalFlowShare + 0.1 && mms.Length > 0)
            {
                // A market maker sheds inventory in this security, if one is away from home.
                var mm = mms.OrderByDescending(x => Math.Abs(hold[x.Index * s + k] - home[x.Index * s + k])).ThenBy(x => x.Index).First();
                var dev = hold[mm.Index * s + k] - home[mm.Index * s + k];
                if (dev != 0)
                {
                    var q = Math.Min(Math.Abs(dev), Lots(market.Quantity.Sample(rng)));
                    var counter = Agency(mm.Index);
                    if (dev > 0) Try(at, TradeKind.Continuous, counter, mm.Index, k, q, Price(k, at, false));
                    else Try(at, TradeKind.Continuous, mm.Index, counter, k, q, Price(k, at, true));
                    return;
                }
            }
            var aggressor = Agency();
            var buys = rng.NextDouble() < 0.5;
            var size = Lots(market.Quantity.Sample(rng));
            // A resting order that cannot be filled (no shares or cash behind it) gives way to the next one; a client
            // who holds nothing to sell buys instead.
            for (int attempt = 0; attempt < 3; attempt++)
            {
                if (attempt == 2) buys = !buys;
                var passive = Passive(k, buys ? -size : size, aggressor);
                var done = buys ? Try(at, TradeKind.Continuous, aggressor, passive, k, size, Price(k, at, true))
                                : Try(at, TradeKind.Continuous, passive, aggressor, k, size, Price(k, at, false));
                if (done > 0) return;
            }
        }

        void Auction(long at, TradeKind kind)
        {
            var k = Pick(zipfCum, rng.NextDouble());
            var buyer = Agency();
            var seller = rng.NextDouble() < 0.5 && mms.Length > 0 ? Passive(k, Lots(market.Quantity.Sample(rng)), buyer) : Agency(buyer);
            Try(at, kind, buyer, seller, k, Lots(market.Quantity.Sample(rng)), prices.MidMinor(k, at));
        }

        // The passive side of an order: a market maker (the one whose inventory the trade brings home, within its
        // limit) or another agency broker. passiveDelta: shares the passive side receives (negative: delivers).
        int Passive(int k, long passiveDelta, int aggressor)
        {
            if (mms.Length > 0 && rng.NextDouble() < market.MarketMakerPassiveShare)
            {
                var a = Member(MemberType.MarketMaker);
                var b = Member(MemberType.MarketMaker);
                int Score(int x) => (int)Math.Clamp(Math.Abs(hold[x * s + k] - home[x * s + k] + passiveDelta), 0, int.MaxValue);
                var best = Score(a) <= Score(b) ? a : b;
                if (best != aggressor && Math.Abs(hold[best * s + k] - home[best * s + k] + passiveDelta) <= limit[best * s + k]) return best;
            }
            return Agency(aggressor);
        }

        int Member(MemberType type)
        {
            var g = byType[(int)type];
            return g[Pick(cumByType[(int)type], rng.NextDouble() * cumByType[(int)type][^1])].Index;
        }

        int Agency(int except = -1)
        {
            for (int i = 0; i < 8; i++)
            {
                var a = Member(MemberType.Agency);
                if (a != except) return a;
            }
            return agency.First(x => x.Index != except).Index;
        }

        long Lots(double shares) => Math.Max(1, (long)Math.Ceiling(shares / lot)) * lot;

        long Price(int k, long at, bool aggressorBuys)
        {
            var mid = prices.Mid(k, at);
            var p = mid * (1 + (aggressorBuys ? 1 : -1) * market.Prices.HalfSpread);
            return Math.Max(1, (long)Math.Round(p * 100));
        }

        // Records the trade for as many lots as the seller's and buyer's books allow; returns the quantity traded.
        long Try(long at, TradeKind kind, int buyer, int seller, int k, long qty, long price)
        {
            if (buyer == seller || qty <= 0) return 0;
            var si = seller * s + k;
            var available = rules.SameDayResaleBanned ? sellable[si] : hold[si];
            if (rules.ShortSellingAllowed && sheet.Members[seller].Type == MemberType.MarketMaker)
                available = Math.Max(available, hold[si] - (home[si] - limit[si]));
            qty = Math.Min(qty, Math.Max(0, available) / lot * lot);
            // Pre-funded markets buy only with cash in hand; elsewhere a member may plan to fund part of its purchases by
            // settlement from its credit line, keeping the other half of the line for margin calls and timing.
            var spendable = cash[buyer] + (rules.PreFunded ? 0 : sheet.CreditLine[buyer] / 2);
            qty = Math.Min(qty, Math.Max(0, spendable) / price / lot * lot);
            if (qty <= 0) return 0;
            var value = qty * price;
            cash[buyer] -= value;
            cash[seller] += value;
            hold[si] -= qty;
            sellable[si] -= qty;
            hold[buyer * s + k] += qty;
            if (!rules.SameDayResaleBanned) sellable[buyer * s + k] += qty;
            long affirmed = 0;
            if (kind == TradeKind.Block)
            {
                var delay = (long)(rng.NextExponential(1.0) * market.AffirmationDelayMean.Nanos);
                if (rng.NextDouble() < market.AffirmedSameDayShare) affirmed = at + delay;
                else
                {
                    var next = calendar.NextBusinessDay(clock.LocalDate(new Lab.Sim.Time.SimTime(at), calendar));
                    affirmed = clock.NanosAt(next, calendar.OpenOn(next), calendar) + delay;
                }
            }
            raw.Add(new Trade(raw.Count, at, buyer, seller, k, qty, price, kind, affirmed));
            return qty;
        }
    }

    /// <summary>Business days with trading minutes between the run start and the end of the trading window.</summary>
    public static IReadOnlyList<DateOnly> TradingDates(MarketOptions market, BusinessCalendar calendar, RunClock clock) =>
        TradingDays(market, calendar, clock).Select(d => d.Date).ToList();

    /// <summary>A business day in the window: its date and the start of each of its trading minutes, with the
    /// cumulative U-shaped intensity over them.</summary>
    private sealed record TradingDay(DateOnly Date, List<long> Minutes, List<double> Cumulative);

    private static List<TradingDay> TradingDays(MarketOptions market, BusinessCalendar calendar, RunClock clock)
    {
        var end = market.TradingWindow.Nanos;
        var days = new List<TradingDay>();
        var dayLengthMin = calendar.TradingDayLength.TotalMinutes;
        var first = clock.LocalDate(Lab.Sim.Time.SimTime.Zero, calendar);
        for (var d = first; clock.MidnightNanos(d, calendar) < end; d = d.AddDays(1))
        {
            var minutes = new List<long>();
            var cumulative = new List<double>();
            double total = 0, elapsed = 0;
            foreach (var session in calendar.SessionsOn(d))
            {
                var count = (int)(session.Close - session.Open).TotalMinutes;
                for (int i = 0; i < count; i++, elapsed++)
                {
                    var at = clock.NanosAt(d, session.Open.AddMinutes(i), calendar);
                    if (at < 0 || at + 60_000_000_000L > end) continue;
                    var x = (elapsed + 0.5) / dayLengthMin;
                    total += 1 + market.OpenCloseBoost * (2 * x - 1) * (2 * x - 1);
                    minutes.Add(at);
                    cumulative.Add(total);
                }
            }
            if (minutes.Count > 0) days.Add(new TradingDay(d, minutes, cumulative));
        }
        if (market.Trades > 0 && days.Count == 0)
            throw new ArgumentException($"no trading minutes between the run start and {market.TradingWindow}: check the start date and calendar");
        return days;
    }

    private static double[] Cumulative(double[] w)
    {
        var c = (double[])w.Clone();
        for (int i = 1; i < c.Length; i++) c[i] += c[i - 1];
        return c;
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
}
