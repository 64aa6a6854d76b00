namespace Lab.Finance.Securities.Clearing;

/// <summary>
/// The CCP's book in the manner of NSCC's Continuous Net Settlement. Each trade is novated into two
/// legs against the CCP. Before each delivery run, every member's legs due by the run's date in a
/// security are netted first in first out (what nets needs no delivery); the remainder is one net
/// long or short position. The depository takes what it can from each short (partial deliveries
/// allowed) and hands the CCP's shares to longs in priority order (oldest due first, then longest
/// failing, then a rotation by day). Whatever stays open after its due date's money settlement is a
/// fail; it is carried forward in the position and re-netted with the next days' trades, ages by one
/// each settlement day, may draw a penalty, and is bought in at the market once old enough. A member
/// that defaults is closed out: what it had not paid for is unwound, and its open legs are handed to
/// the market (the street) in slices at liquidation prices; the difference to the contract values
/// is the loss the default waterfall covers.
///
/// Pure and deterministic: the CCP node keeps it in durable storage; tests drive it directly.
/// Member index <see cref="Street"/> is the market outside the member set.
/// </summary>
public sealed class CnsBook
{
    private readonly List<Leg>[] _legs;          // open legs per (member incl. street) × security, oldest first
    private readonly List<MoneyItem>[] _money;   // unsettled money per member incl. street
    private readonly long[] _estate;             // per member: set-off balance of a defaulter (+ owed to it, − it owes)
    private readonly bool[] _defaulted;
    private readonly Leg?[] _buy, _sell;         // per trade: its two legs as novated
    private long _seq;

    public CnsBook(int members, int securities, int trades)
    {
        Members = members;
        Securities = securities;
        _legs = new List<Leg>[(members + 1) * securities];
        for (int i = 0; i < _legs.Length; i++) _legs[i] = [];
        _money = new List<MoneyItem>[members + 1];
        for (int i = 0; i < _money.Length; i++) _money[i] = [];
        _estate = new long[members];
        _defaulted = new bool[members];
        _buy = new Leg?[trades];
        _sell = new Leg?[trades];
        Records = new TradeRecord[trades];
        for (int i = 0; i < trades; i++) Records[i] = new TradeRecord();
    }

    public int Members { get; }
    public int Securities { get; }
    /// <summary>Index of the market beyond the members (buy-ins, liquidations).</summary>
    public int Street => Members;
    public TradeRecord[] Records { get; }
    /// <summary>Cash penalties charged to failing deliverers so far (minor units).</summary>
    public long PenaltiesCharged { get; private set; }
    public bool IsDefaulted(int member) => _defaulted[member];
    public long Estate(int member) => _estate[member];

    /// <summary>Open legs of a member (or the street) in a security, oldest first.</summary>
    public IReadOnlyList<Leg> OpenLegs(int member, int security) => _legs[member * Securities + security];

    /// <summary>Unsettled money items of a member (or the street).</summary>
    public IReadOnlyList<MoneyItem> Money(int member) => _money[member];

    /// <summary>Novation: the trade becomes a receive leg for the buyer and a deliver leg for the seller, both
    /// against the CCP, due on the given dates. Gross legs (trade for trade) are eligible from <paramref name="eligibleFromNs"/>.</summary>
    public (Leg Buy, Leg Sell) Novate(Trade t, DateOnly due, DateOnly moneyDue, long atNs, bool gross = false, long eligibleFromNs = 0)
    {
        var buy = NewLeg(t.Index, t.Buyer, t.Security, true, t.PriceMinor, due, moneyDue, t.Quantity, gross, eligibleFromNs, false);
        var sell = NewLeg(t.Index, t.Seller, t.Security, false, t.PriceMinor, due, moneyDue, t.Quantity, gross, eligibleFromNs, false);
        Records[t.Index].NovatedAtNs = atNs;
        _buy[t.Index] = buy;
        _sell[t.Index] = sell;
        return (buy, sell);
    }

    private Leg NewLeg(int trade, int member, int security, bool receive, long price, DateOnly due, DateOnly moneyDue, long qty, bool gross, long eligible, bool liquidation)
    {
        var leg = new Leg
        {
            Trade = trade, Member = member, Security = security, Receive = receive, Price = price, Due = due, MoneyDue = moneyDue,
            Original = qty, Open = qty, Gross = gross, EligibleFromNs = eligible, Liquidation = liquidation, Seq = ++_seq,
        };
        _legs[member * Securities + security].Add(leg);
        return leg;
    }

    /// <summary>
    /// Nets every member's legs due by <paramref name="dueBy"/> (completing what offsets), and returns the run:
    /// the remaining short and long positions, and the affirmed trade-for-trade lines. Completions are paid at the
    /// first money settlement on or after <paramref name="moneyDay"/> (and not before the leg's own money date).
    /// </summary>
    public DeliveryRun BuildRun(DateOnly dueBy, DateOnly moneyDay, int pass, long atNs)
    {
        var shorts = new List<RunLine>();
        var longs = new List<(RunLine Line, DateOnly Due, int Age)>();
        var gross = new List<GrossLine>();
        for (int m = 0; m <= Members; m++)
        {
            if (m < Members && _defaulted[m]) continue;
            for (int s = 0; s < Securities; s++)
            {
                var list = _legs[m * Securities + s];
                if (list.Count == 0) continue;
                foreach (var leg in list)
                    if (!leg.Gross && leg.Due <= dueBy && leg.Open > 0 && Records[leg.Trade].NettedAtNs < 0) Records[leg.Trade].NettedAtNs = atNs;
                NetPosition(list, dueBy, moneyDay, atNs);
                long deliver = 0, receive = 0;
                var oldest = DateOnly.MaxValue;
                var age = 0;
                foreach (var leg in list)
                {
                    if (leg.Gross || leg.Due > dueBy || leg.Open == 0) continue;
                    if (leg.Receive) { receive += leg.Open; if (leg.Due < oldest) oldest = leg.Due; age = Math.Max(age, leg.FailDays); }
                    else deliver += leg.Open;
                }
                if (deliver > 0) shorts.Add(new RunLine(m, s, deliver));
                if (receive > 0) longs.Add((new RunLine(m, s, receive), oldest, age));
            }
        }
        // Trade-for-trade lines: both legs open, due, and affirmed (eligible) by now.
        for (int m = 0; m < Members; m++)
        {
            if (_defaulted[m]) continue;
            for (int s = 0; s < Securities; s++)
                foreach (var leg in _legs[m * Securities + s])
                {
                    if (!leg.Gross || leg.Receive || leg.Open == 0 || leg.Due > dueBy || leg.EligibleFromNs > atNs) continue;
                    gross.Add(new GrossLine(leg.Trade, leg.Member, BuyerOf(leg), s, leg.Open));
                    if (Records[leg.Trade].NettedAtNs < 0) Records[leg.Trade].NettedAtNs = atNs;
                }
        }
        gross.Sort((a, b) => a.Trade.CompareTo(b.Trade));
        // Long priority: oldest due date first, then longest failing, then a rotation that changes every day.
        var rotation = dueBy.DayNumber % Math.Max(1, Members + 1);
        var ordered = longs
            .OrderBy(x => x.Due)
            .ThenByDescending(x => x.Age)
            .ThenBy(x => (x.Line.Member - rotation + Members + 1) % (Members + 1))
            .ThenBy(x => x.Line.Security)
            .Select(x => x.Line).ToList();
        return new DeliveryRun(dueBy, pass, shorts, ordered, gross);
    }

    private int BuyerOf(Leg sell) => _buy[sell.Trade]?.Member ?? throw new InvalidOperationException($"trade {sell.Trade} has no buyer leg");

    // Offsets opposite legs due by the date, oldest first: those shares complete without moving.
    private void NetPosition(List<Leg> list, DateOnly dueBy, DateOnly moneyDay, long atNs)
    {
        int r = 0, d = 0;
        while (true)
        {
            while (r < list.Count && (list[r].Gross || !list[r].Receive || list[r].Due > dueBy || list[r].Open == 0)) r++;
            while (d < list.Count && (list[d].Gross || list[d].Receive || list[d].Due > dueBy || list[d].Open == 0)) d++;
            if (r >= list.Count || d >= list.Count) break;
            var q = Math.Min(list[r].Open, list[d].Open);
            Complete(list[r], q, moneyDay, atNs);
            Complete(list[d], q, moneyDay, atNs);
        }
        list.RemoveAll(l => l.Open == 0);
    }

    /// <summary>Applies the depository's result: deliveries complete the short positions' legs and receipts the long
    /// positions' legs, oldest first; settled trade-for-trade lines complete both legs.</summary>
    public void ApplyRun(DeliveryRun run, DeliveryResult result, DateOnly moneyDay, long atNs)
    {
        for (int i = 0; i < run.Shorts.Count; i++)
            CompleteOldest(run.Shorts[i].Member, run.Shorts[i].Security, receive: false, result.Delivered[i], run.Day, moneyDay, atNs);
        for (int i = 0; i < run.Longs.Count; i++)
            CompleteOldest(run.Longs[i].Member, run.Longs[i].Security, receive: true, result.Received[i], run.Day, moneyDay, atNs);
        for (int i = 0; i < run.Gross.Count; i++)
        {
            if (!result.GrossSettled[i]) continue;
            var g = run.Gross[i];
            foreach (var leg in new[] { _sell[g.Trade]!, _buy[g.Trade]! })
            {
                Complete(leg, leg.Open, moneyDay, atNs);
                _legs[leg.Member * Securities + leg.Security].Remove(leg);
            }
        }
    }

    private void CompleteOldest(int member, int security, bool receive, long quantity, DateOnly dueBy, DateOnly moneyDay, long atNs)
    {
        if (quantity <= 0) return;
        var list = _legs[member * Securities + security];
        foreach (var leg in list)
        {
            if (quantity == 0) break;
            if (leg.Gross || leg.Receive != receive || leg.Due > dueBy || leg.Open == 0) continue;
            var q = Math.Min(quantity, leg.Open);
            Complete(leg, q, moneyDay, atNs);
            quantity -= q;
        }
        if (quantity != 0) throw new InvalidOperationException($"delivery of {quantity} more shares than member {member} had open in security {security}");
        list.RemoveAll(l => l.Open == 0);
    }

    private void Complete(Leg leg, long q, DateOnly moneyDay, long atNs)
    {
        leg.Open -= q;
        leg.Unpaid += q;
        var due = leg.MoneyDue > moneyDay ? leg.MoneyDue : moneyDay;
        _money[leg.Member].Add(new MoneyItem(leg.Member, leg.Receive ? -leg.Value(q) : leg.Value(q), due, leg, q, "settlement"));
        if (leg.Open == 0 && !leg.Liquidation && _buy[leg.Trade] is { } b && _sell[leg.Trade] is { } sl && b.Open == 0 && sl.Open == 0)
            Records[leg.Trade].SecuritiesDoneNs = atNs;
    }

    /// <summary>The buyer's and seller's legs of a trade as novated (null if it was never novated).</summary>
    public (Leg? Buy, Leg? Sell) LegsOf(int trade) => (_buy[trade], _sell[trade]);

    /// <summary>Gross legs: the trade was affirmed; it joins delivery runs from <paramref name="eligibleFromNs"/>.</summary>
    public void Affirm(int trade, long eligibleFromNs)
    {
        if (_buy[trade] is { Gross: true } b) b.EligibleFromNs = eligibleFromNs;
        if (_sell[trade] is { Gross: true } sl) sl.EligibleFromNs = eligibleFromNs;
    }

    /// <summary>Each member's (and the street's) net cash for the items due by <paramref name="day"/>.</summary>
    public MoneyOrder BuildMoney(DateOnly day)
    {
        var net = new long[Members + 1];
        for (int m = 0; m <= Members; m++)
            foreach (var item in _money[m])
                if (item.Due <= day) net[m] = checked(net[m] + item.Amount);
        return new MoneyOrder(day, net);
    }

    /// <summary>Marks the items of the members whose net was settled (collected or paid out) as paid; a leg whose
    /// every completed share is paid and that has nothing open is final at <paramref name="atNs"/>.</summary>
    public void ApplyMoney(MoneyOrder order, IReadOnlyList<bool> settled, long atNs)
    {
        for (int m = 0; m <= Members; m++)
        {
            if (!settled[m]) continue;
            var list = _money[m];
            var keep = new List<MoneyItem>(list.Count);
            foreach (var item in list)
            {
                if (item.Due > order.Day) { keep.Add(item); continue; }
                if (item.Leg is { } leg)
                {
                    leg.Unpaid -= item.Shares;
                    leg.Paid += item.Shares;
                    if (leg.IsDone) Finalise(leg, atNs);
                }
            }
            _money[m] = keep;
        }
    }

    private void Finalise(Leg leg, long atNs)
    {
        if (leg.Liquidation) return;
        var r = Records[leg.Trade];
        if (leg.Receive) r.BuyFinalNs = atNs; else r.SellFinalNs = atNs;
    }

    /// <summary>
    /// After the money settlement of <paramref name="day"/>: every leg still open at or after its settlement date
    /// has failed another day. With a penalty rate, each failing deliverer pays rate × open value at <paramref name="mark"/>
    /// to the CCP, which passes it to the receivers failing in that security pro rata (CSDR-style), due at the
    /// next money settlement <paramref name="nextMoneyDay"/>. Returns the fail value (open value at mark) by member.
    /// </summary>
    public long[] CloseDay(DateOnly day, Func<int, long> mark, double penaltyRate, DateOnly nextMoneyDay)
    {
        var failValue = new long[Members + 1];
        for (int s = 0; s < Securities; s++)
        {
            long pot = 0;
            var receivers = new List<Leg>();
            for (int m = 0; m <= Members; m++)
                foreach (var leg in _legs[m * Securities + s])
                {
                    // A leg fails when it is still open at the money settlement of its settlement date (for China:
                    // securities were due on T, the trade settles on T+1).
                    if (leg.MoneyDue > day || leg.Open == 0) continue;
                    leg.FailDays++;
                    if (!leg.Liquidation) Records[leg.Trade].Failed = true;
                    failValue[m] += leg.Open * mark(s);
                    if (leg.Receive) { receivers.Add(leg); continue; }
                    if (penaltyRate <= 0 || m == Street) continue;
                    var p = (long)Math.Round(penaltyRate * leg.Open * mark(s));
                    if (p <= 0) continue;
                    _money[m].Add(new MoneyItem(m, -p, nextMoneyDay, null, 0, "penalty"));
                    pot += p;
                    PenaltiesCharged += p;
                }
            if (pot == 0) continue;
            // The pot goes to failing receivers by open quantity; without any, to the street (the CCP keeps none).
            var total = receivers.Sum(l => l.Open);
            if (total == 0) { _money[Street].Add(new MoneyItem(Street, pot, nextMoneyDay, null, 0, "penalty")); continue; }
            long given = 0;
            for (int i = 0; i < receivers.Count; i++)
            {
                var share = i == receivers.Count - 1 ? pot - given : pot * receivers[i].Open / total;
                given += share;
                _money[receivers[i].Member].Add(new MoneyItem(receivers[i].Member, share, nextMoneyDay, null, 0, "penalty"));
            }
        }
        return failValue;
    }

    /// <summary>Deliver legs of surviving members failing for at least <paramref name="afterDays"/> settlement days
    /// (trade-for-trade legs are bilateral at the depository and are not bought in by the CCP).</summary>
    public IReadOnlyList<Leg> DueBuyIns(int afterDays)
    {
        var list = new List<Leg>();
        for (int m = 0; m < Members; m++)
        {
            if (_defaulted[m]) continue;
            for (int s = 0; s < Securities; s++)
                foreach (var leg in _legs[m * Securities + s])
                    if (!leg.Receive && !leg.Gross && leg.Open > 0 && leg.FailDays >= afterDays) list.Add(leg);
        }
        return list;
    }

    /// <summary>
    /// The CCP bought <paramref name="leg"/>'s open shares in the market at <paramref name="price"/> (the depository
    /// moved them from the street into the CCP's account): the leg completes as if delivered, and the failing member
    /// pays the buy-in cost, which goes to the street.
    /// </summary>
    public void ApplyBuyIn(Leg leg, long price, DateOnly moneyDay, long atNs)
    {
        var q = leg.Open;
        if (q == 0) return;
        Complete(leg, q, moneyDay, atNs);
        var cost = checked(q * price);
        _money[leg.Member].Add(new MoneyItem(leg.Member, -cost, moneyDay, null, 0, "buy-in"));
        _money[Street].Add(new MoneyItem(Street, cost, moneyDay, null, 0, "buy-in"));
        Records[leg.Trade].BoughtIn = true;
        _legs[leg.Member * Securities + leg.Security].Remove(leg);
    }

    /// <summary>
    /// A member defaults. Its unsettled money is set off: what the CCP owed it (completed sales) goes to its estate,
    /// what it owed is unwound — the shares it received and has not paid for are to be returned to the CCP
    /// (returned as <see cref="Reversal"/>s for the depository), and its open trade-for-trade trades are cancelled
    /// (the depository does not guarantee them). Its other open legs wait for <see cref="LiquidateSlice"/>.
    /// </summary>
    public IReadOnlyList<Reversal> BeginDefault(int d, long atNs)
    {
        _defaulted[d] = true;
        var reversals = new List<Reversal>();
        foreach (var item in _money[d])
        {
            if (item.Leg is { Receive: true } leg)
            {
                reversals.Add(new Reversal(leg, item.Shares));
                continue;
            }
            // Completed sales and charges: set off in the estate.
            _estate[d] = checked(_estate[d] + item.Amount);
            if (item.Leg is { } sold)
            {
                sold.Unpaid -= item.Shares;
                sold.ClosedOut += item.Shares;
                Records[sold.Trade].Defaulted = true;
                if (sold.IsDone) Finalise(sold, atNs);
            }
        }
        _money[d].Clear();
        for (int s = 0; s < Securities; s++)
            foreach (var leg in _legs[d * Securities + s].Where(l => l.Gross && l.Open > 0).ToList())
                CancelGross(leg, atNs);
        return reversals;
    }

    private void CancelGross(Leg leg, long atNs)
    {
        foreach (var l in new[] { _buy[leg.Trade], _sell[leg.Trade] })
        {
            if (l is null || l.Open == 0) continue;
            l.ClosedOut += l.Open;
            l.Open = 0;
            _legs[l.Member * Securities + l.Security].Remove(l);
            if (l.IsDone) Finalise(l, atNs);
        }
        Records[leg.Trade].Defaulted = true;
    }

    /// <summary>The depository returned <paramref name="returned"/> of the shares a reversal asked for into the CCP's
    /// account: those reopen the defaulter's leg (to be liquidated); the rest it has already passed on, and their
    /// unpaid value is a loss to the estate.</summary>
    public void ApplyReversal(int d, Reversal r, long returned, long atNs)
    {
        var leg = r.Leg;
        leg.Unpaid -= r.Shares;
        leg.Open += returned;
        var lost = r.Shares - returned;
        leg.ClosedOut += lost;
        _estate[d] = checked(_estate[d] - leg.Value(lost));
        Records[leg.Trade].Defaulted = true;
        if (returned > 0)
        {
            var list = _legs[d * Securities + leg.Security];
            if (!list.Contains(leg)) { list.Add(leg); list.Sort((a, b) => a.Seq.CompareTo(b.Seq)); }
        }
        if (leg.IsDone) Finalise(leg, atNs);
    }

    /// <summary>
    /// Liquidates 1/<paramref name="slicesLeft"/> of each of the defaulter's open legs to the market: the street takes
    /// the leg over at the mark less <paramref name="cost"/> (the CCP sells what the defaulter was to receive) or plus
    /// it (the CCP buys what the defaulter was to deliver), due on the given dates. The difference to the contract
    /// value is booked to the estate. Returns the value set off in this slice (+ gain, − loss).
    /// </summary>
    public long LiquidateSlice(int d, int slicesLeft, Func<int, long> mark, double cost, DateOnly due, DateOnly moneyDue, long atNs)
    {
        long booked = 0;
        for (int s = 0; s < Securities; s++)
        {
            var list = _legs[d * Securities + s];
            foreach (var leg in list.ToList())
            {
                // Pending trade-for-trade legs were cancelled at the default; an open gross leg here is a receipt the
                // depository took back (its collateral), liquidated like the rest.
                if (leg.Open == 0) continue;
                var q = slicesLeft <= 1 ? leg.Open : (leg.Open + slicesLeft - 1) / slicesLeft;
                var price = Math.Max(1, (long)Math.Round(mark(s) * (leg.Receive ? 1 - cost : 1 + cost)));
                NewLeg(leg.Trade, Street, s, leg.Receive, price, due, moneyDue, q, false, 0, true);
                var diff = leg.Receive ? checked(q * (price - leg.Price)) : checked(q * (leg.Price - price));
                _estate[d] = checked(_estate[d] + diff);
                booked += diff;
                leg.Open -= q;
                leg.ClosedOut += q;
                Records[leg.Trade].Defaulted = true;
                if (leg.IsDone) { Finalise(leg, atNs); list.Remove(leg); }
            }
        }
        return booked;
    }

    /// <summary>Whether the defaulter has nothing left open or unpaid.</summary>
    public bool CloseOutComplete(int d)
    {
        if (_money[d].Count > 0) return false;
        for (int s = 0; s < Securities; s++)
            if (_legs[d * Securities + s].Any(l => l.Open > 0 || l.Unpaid > 0)) return false;
        return true;
    }

    /// <summary>
    /// Signed shares per member and security whose price risk the CCP still carries (+ to receive): every open leg,
    /// plus shares a member received and has not yet paid for (if it defaults, the CCP is left with them). Shares a
    /// member delivered and has not been paid for carry no risk: the CCP would keep the money. Members only.
    /// </summary>
    public long[] OpenPositions()
    {
        var pos = new long[Members * Securities];
        for (int m = 0; m < Members; m++)
        {
            for (int s = 0; s < Securities; s++)
                foreach (var leg in _legs[m * Securities + s])
                    pos[m * Securities + s] += leg.Receive ? leg.Open : -leg.Open;
            foreach (var item in _money[m])
                if (item.Leg is { Receive: true } r) pos[m * Securities + r.Security] += item.Shares;
        }
        return pos;
    }

    /// <summary>
    /// Per member: the mark-to-market (gain +, loss −) at the given marks of its open legs and of the shares it
    /// received and has not paid for, and the notional (contract value) of its open and unpaid legs.
    /// </summary>
    public (long[] Mtm, long[] Notional) Exposure(Func<int, long> mark)
    {
        var mtm = new long[Members];
        var notional = new long[Members];
        for (int m = 0; m < Members; m++)
        {
            if (_defaulted[m]) continue;
            for (int s = 0; s < Securities; s++)
            {
                var price = mark(s);
                foreach (var leg in _legs[m * Securities + s])
                {
                    var open = leg.Open;
                    mtm[m] += leg.Receive ? open * (price - leg.Price) : open * (leg.Price - price);
                    notional[m] += leg.Value(open);
                }
            }
            foreach (var item in _money[m])
            {
                if (item.Leg is not { } leg) continue;
                notional[m] += Math.Abs(item.Amount);
                if (leg.Receive) mtm[m] += item.Shares * (mark(leg.Security) - leg.Price);
            }
        }
        return (mtm, notional);
    }

    /// <summary>Whether any leg is still open or unpaid (anything left to settle).</summary>
    public bool AnythingOpen()
    {
        foreach (var l in _legs) if (l.Count > 0) return true;
        foreach (var m in _money) if (m.Count > 0) return true;
        return false;
    }
}

/// <summary>Shares of a leg the defaulter received and has not paid for, to be returned to the CCP's account.</summary>
public sealed record Reversal(Leg Leg, long Shares);
