using Lab.Sim.Randomness;

namespace Lab.Finance.Securities.Market;

/// <summary>What kind of business a clearing member runs; it decides how the member trades.</summary>
public enum MemberType
{
    /// <summary>Quotes both sides, takes the other side of client flow, keeps its inventory near flat within the
    /// day (intraday round trips) and flattens at the closing auction. May sell short where the market allows.</summary>
    MarketMaker,
    /// <summary>Executes client orders: many small trades, buys and sells in balance, sales only from client holdings,
    /// purchases only with client cash.</summary>
    Agency,
    /// <summary>A self-clearing institution trading programmes in one direction per security and day (worked
    /// through the day, sometimes as a negotiated block), long-only.</summary>
    Directional,
}

/// <summary>One clearing member: its type and its share of the market's trading (sizes differ by a log-normal factor).</summary>
public sealed record MemberProfile(int Index, MemberType Type, double Activity);

/// <summary>How members' starting balance sheets are sized from their business (expected activity, known before
/// trading starts) — never from the trades that will happen.</summary>
public sealed record BalanceSheetOptions
{
    /// <summary>Cash on hand, in days of the member's expected purchases.</summary>
    public double CashDays { get; init; } = 1.5;
    /// <summary>Shares held per security by agency and directional members, in days of their expected sales of it.</summary>
    public double InventoryDays { get; init; } = 3;
    /// <summary>Market makers' inventory per security, in days of their expected sales of it.</summary>
    public double MarketMakerInventoryDays { get; init; } = 0.5;
    /// <summary>Outside funding a member can draw on demand (a committed credit line from its bank or parent), in
    /// days of expected purchases; drawing costs <see cref="FundingRate"/>.</summary>
    public double CreditLineDays { get; init; } = 0.5;
    /// <summary>Annual cost of cash: what tying up a unit of cash for a year costs a member (US: SOFR ≈ 4.3% in
    /// 2025; China: DR007 ≈ 1.5–1.8%).</summary>
    public double FundingRate { get; init; } = 0.043;
    /// <summary>Annual fee to borrow shares (general collateral for liquid large caps: 0.25–0.5% a year).</summary>
    public double BorrowFee { get; init; } = 0.003;
}

/// <summary>
/// Members' starting cash and shares, and the funding they can draw on. Indices: cash per member; holdings per
/// member × security (index m * securities + s). All in minor units (cash) and shares.
/// </summary>
public sealed record BalanceSheet(
    IReadOnlyList<MemberProfile> Members,
    IReadOnlyList<long> Cash,
    IReadOnlyList<long> Holdings,
    IReadOnlyList<long> CreditLine,
    IReadOnlyList<long> ExpectedDailyPurchases,
    IReadOnlyList<long> InventoryLimit)
{
    public const string StreamName = "securities.members";

    /// <summary>
    /// Draws members (types by the mix, sizes log-normal) and sizes their balance sheets from what they expect to
    /// trade: the market's expected daily value (trades a day × mean quantity × each security's opening price, by
    /// its popularity) times the member's activity share.
    /// </summary>
    public static BalanceSheet Draw(MarketOptions market, MarketRules rules, PricePath prices, double tradesPerDay, ulong seed)
    {
        var rng = SimRandom.Stream(seed, StreamName);
        var n = market.Members;
        var mm = (int)Math.Round(n * market.MarketMakerShare);
        var dir = (int)Math.Round(n * market.DirectionalShare);
        if (mm + dir > n - 2) throw new ArgumentException("at least two agency members are needed besides market makers and directional members");
        // Types spread evenly over the indices, so members of every kind sit in every region (regions are round-robin).
        var types = Enumerable.Repeat(MemberType.Agency, n).ToArray();
        for (int k = 0; k < mm; k++) types[k * n / mm] = MemberType.MarketMaker;
        for (int k = 0; k < dir; k++)
        {
            var i = (k * n / dir + n / (2 * dir)) % n;
            while (types[i] != MemberType.Agency) i = (i + 1) % n;
            types[i] = MemberType.Directional;
        }
        var weights = new double[n];
        for (int i = 0; i < n; i++) weights[i] = Math.Exp(market.MemberActivitySigma * PricePath.Normal(rng));
        var total = weights.Sum();
        var members = Enumerable.Range(0, n).Select(i => new MemberProfile(i, types[i], weights[i] / total)).ToArray();

        var s = market.Securities;
        var zipf = TradeTape.Popularity(s, market.SecurityZipf);
        var meanQty = Math.Max(rules.LotSize, market.Quantity.Mean);
        var sheet = market.BalanceSheet;
        var cash = new long[n];
        var credit = new long[n];
        var purchases = new long[n];
        var holdings = new long[n * s];
        var inventoryLimit = new long[n * s];
        for (int m = 0; m < n; m++)
        {
            double dailyPurchases = 0;
            for (int k = 0; k < s; k++)
            {
                // Shares the member expects to sell (and buy) per day: half its side of the security's volume.
                var shares = tradesPerDay * zipf[k] * meanQty * members[m].Activity;
                dailyPurchases += shares * prices.InitialMinor(k);
                var days = members[m].Type == MemberType.MarketMaker ? sheet.MarketMakerInventoryDays : sheet.InventoryDays;
                holdings[m * s + k] = RoundLots((long)Math.Ceiling(shares * days), rules.LotSize);
                // Market makers trade both sides of their share: intraday inventory may drift this far from home.
                if (members[m].Type == MemberType.MarketMaker)
                    inventoryLimit[m * s + k] = Math.Max(rules.LotSize, RoundLots((long)(2 * shares * market.MarketMakerInventoryLimitDays), rules.LotSize));
            }
            purchases[m] = (long)Math.Ceiling(dailyPurchases);
            cash[m] = (long)Math.Ceiling(dailyPurchases * sheet.CashDays);
            credit[m] = (long)Math.Ceiling(dailyPurchases * sheet.CreditLineDays);
        }
        return new BalanceSheet(members, cash, holdings, credit, purchases, inventoryLimit);
    }

    private static long RoundLots(long shares, int lot) => (shares + lot - 1) / lot * lot;
}
