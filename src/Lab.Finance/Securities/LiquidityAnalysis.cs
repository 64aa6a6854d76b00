namespace Lab.Finance.Securities;

/// <summary>
/// Cash and shares members must hold to settle their trades, by how finely trades are grouped
/// before settling. Within a day, trades in the same group (window) are netted and settle together;
/// the member's need that day is the peak of its cumulative net outflow after each group (≥ 0).
/// One group per trade is gross settlement (on-chain DvP, proceeds reused as they arrive); one group
/// per day is end-of-day netting (T+n). Needs are computed from the trades alone, assuming nothing fails.
/// </summary>
public static class LiquidityAnalysis
{
    /// <param name="dayOf">Trading day of a trade (e.g. its local date number).</param>
    /// <param name="groupOf">Settlement group of a trade within its day (non-decreasing along the tape).</param>
    /// <returns>Per member: peak over days of the day's need, and mean over <paramref name="tradingDays"/>, in minor units.</returns>
    public static MemberNeeds CashNeeds(IReadOnlyList<Trade> trades, int members, Func<Trade, long> dayOf, Func<Trade, long> groupOf, int tradingDays) =>
        Needs(trades, members, dayOf, groupOf, tradingDays, t => (t.Buyer, t.Value), t => (t.Seller, t.Value));

    /// <summary>Peak over days of each member's total purchases in the day: the cash to pre-fund every purchase
    /// without counting on same-day sale proceeds (the cautious reading of "gross").</summary>
    public static IReadOnlyList<long> PurchasesPeak(IReadOnlyList<Trade> trades, int members, Func<Trade, long> dayOf, int tradingDays) =>
        Needs(trades, members, dayOf, t => t.Index, tradingDays, t => (t.Buyer, t.Value), t => (t.Seller, 0)).Peak;

    /// <summary>Shares of each security members deliver, per member × security (index m * securities + s).</summary>
    public static MemberNeeds SecurityNeeds(IReadOnlyList<Trade> trades, int members, int securities, Func<Trade, long> dayOf, Func<Trade, long> groupOf, int tradingDays) =>
        Needs(trades, members * securities, dayOf, groupOf, tradingDays,
            t => (t.Buyer * securities + t.Security, -t.Quantity), t => (t.Seller * securities + t.Security, -t.Quantity),
            sellerPays: true);

    private static MemberNeeds Needs(IReadOnlyList<Trade> trades, int accounts, Func<Trade, long> dayOf, Func<Trade, long> groupOf, int tradingDays,
        Func<Trade, (int Account, long Amount)> payer, Func<Trade, (int Account, long Amount)> receiver, bool sellerPays = false)
    {
        var peak = new long[accounts];
        var sum = new double[accounts];
        var cum = new long[accounts];
        var dayPeak = new long[accounts];
        var touched = new List<int>();
        var touchedFlag = new bool[accounts];
        var dayTouched = new List<int>();
        var dayFlag = new bool[accounts];
        long day = long.MinValue, group = long.MinValue;

        void CloseGroup()
        {
            foreach (var a in touched)
            {
                if (cum[a] > dayPeak[a]) dayPeak[a] = cum[a];
                touchedFlag[a] = false;
            }
            touched.Clear();
        }
        void CloseDay()
        {
            CloseGroup();
            foreach (var a in dayTouched)
            {
                if (dayPeak[a] > peak[a]) peak[a] = dayPeak[a];
                sum[a] += dayPeak[a];
                cum[a] = 0; dayPeak[a] = 0; dayFlag[a] = false;
            }
            dayTouched.Clear();
        }
        void Touch(int a)
        {
            if (!touchedFlag[a]) { touchedFlag[a] = true; touched.Add(a); }
            if (!dayFlag[a]) { dayFlag[a] = true; dayTouched.Add(a); }
        }

        foreach (var t in trades)
        {
            var d = dayOf(t);
            var g = groupOf(t);
            if (d != day) { CloseDay(); day = d; group = g; }
            else if (g != group) { CloseGroup(); group = g; }
            // Outflow: cash paid by the buyer (received by the seller); for shares the seller pays out.
            var (pa, pAmount) = sellerPays ? receiver(t) : payer(t);
            var (ra, rAmount) = sellerPays ? payer(t) : receiver(t);
            cum[pa] += Math.Abs(pAmount);
            cum[ra] -= Math.Abs(rAmount);
            Touch(pa); Touch(ra);
        }
        CloseDay();
        var days = Math.Max(1, tradingDays);
        return new MemberNeeds(peak, sum.Select(s => s / days).ToArray());
    }
}

/// <summary>Per account: the largest daily need over the run, and the mean daily need.</summary>
public sealed record MemberNeeds(IReadOnlyList<long> Peak, IReadOnlyList<double> MeanDaily)
{
    public long TotalPeak => Peak.Sum();
}
