namespace Lab.Finance.Securities.Clearing;

/// <summary>A net position to deliver or receive in a delivery run: <paramref name="Quantity"/> shares of a security.</summary>
public sealed record RunLine(int Member, int Security, long Quantity);

/// <summary>A trade-for-trade delivery versus payment at the depository (institutional flow), all or nothing.</summary>
public sealed record GrossLine(int Trade, int Seller, int Buyer, int Security, long Quantity);

/// <summary>
/// What the CCP asks the depository to do in one run (a night cycle, a day-cycle recycle, or China's
/// end-of-day securities settlement): take each short position from the member's account into the
/// CCP's account as far as it holds the shares (partial deliveries allowed, as in CNS), then give the
/// CCP's shares to long positions in the given priority order, then settle the trade-for-trade lines.
/// </summary>
public sealed record DeliveryRun(DateOnly Day, int Pass, IReadOnlyList<RunLine> Shorts, IReadOnlyList<RunLine> Longs, IReadOnlyList<GrossLine> Gross)
{
    public int Lines => Shorts.Count + Longs.Count + Gross.Count;

    /// <summary>
    /// Executes the run against a depository ledger. <paramref name="blocked"/> says whether a member cannot
    /// deliver a security now (an operational outage, or a settlement instruction that failed); the street always delivers.
    /// </summary>
    public DeliveryResult Execute(SecuritiesLedger ledger, Func<int, int, bool> blocked)
    {
        var accounts = ledger.Accounts;
        int Account(int member) => member == accounts.Members ? accounts.Street : member;
        var delivered = new long[Shorts.Count];
        for (int i = 0; i < Shorts.Count; i++)
        {
            var l = Shorts[i];
            var from = Account(l.Member);
            if (from != accounts.Street && blocked(l.Member, l.Security)) continue;
            var q = from == accounts.Street ? l.Quantity : Math.Min(l.Quantity, ledger.Held(from, l.Security));
            if (q > 0 && ledger.Transfer(from, accounts.Ccp, l.Security, q)) delivered[i] = q;
        }
        var received = new long[Longs.Count];
        for (int i = 0; i < Longs.Count; i++)
        {
            var l = Longs[i];
            var q = Math.Min(l.Quantity, ledger.Held(accounts.Ccp, l.Security));
            if (q > 0 && ledger.Transfer(accounts.Ccp, Account(l.Member), l.Security, q)) received[i] = q;
        }
        var gross = new bool[Gross.Count];
        for (int i = 0; i < Gross.Count; i++)
        {
            var g = Gross[i];
            if (blocked(g.Seller, g.Security) || ledger.Held(g.Seller, g.Security) < g.Quantity) continue;
            gross[i] = ledger.Transfer(g.Seller, g.Buyer, g.Security, g.Quantity);
        }
        return new DeliveryResult(Day, Pass, delivered, received, gross);
    }
}

/// <summary>What a run achieved, line by line (same order as the run).</summary>
public sealed record DeliveryResult(DateOnly Day, int Pass, IReadOnlyList<long> Delivered, IReadOnlyList<long> Received, IReadOnlyList<bool> GrossSettled);

/// <summary>Net cash per account for one money settlement (members, then the street at index Members); + receives.</summary>
public sealed record MoneyOrder(DateOnly Day, IReadOnlyList<long> Net)
{
    public long Debits => Net.Where(x => x < 0).Sum(x => -x);
    public long Credits => Net.Where(x => x > 0).Sum();
}
