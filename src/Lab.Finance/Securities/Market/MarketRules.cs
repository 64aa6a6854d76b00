using Lab.Finance.Calendars;

namespace Lab.Finance.Securities.Market;

/// <summary>
/// The exchange's own rules, independent of how trades settle: calendar (sessions, auctions,
/// holidays), currency, board lot, daily price limit, whether shares bought today may be sold today,
/// whether members may sell short, and the volume shares of the call auctions.
/// </summary>
public sealed record MarketRules
{
    public required string Name { get; init; }
    public required BusinessCalendar Calendar { get; init; }
    /// <summary>ISO 4217 code; cash is kept in minor units (fen, cents).</summary>
    public required string Currency { get; init; }
    /// <summary>Shares per board lot; every order is a whole number of lots.</summary>
    public int LotSize { get; init; } = 1;
    /// <summary>Daily price limit as a fraction of the previous close (null: none).</summary>
    public double? PriceLimit { get; init; }
    /// <summary>China's T+1 trading rule: shares bought on a day may be sold from the next trading day only.</summary>
    public bool SameDayResaleBanned { get; init; }
    /// <summary>Investors are pre-funded: brokers accept a purchase only against cash already in the client's account
    /// (China, third-party depository); false: members may buy and fund by the settlement date.</summary>
    public bool PreFunded { get; init; }
    /// <summary>Members may sell shares they do not hold (market makers, with a locate); false: sales need holdings.</summary>
    public bool ShortSellingAllowed { get; init; }
    /// <summary>Share of a day's trades matched in the opening call auction.</summary>
    public double OpeningAuctionShare { get; init; }
    /// <summary>Share of a day's trades matched in the closing call auction.</summary>
    public double ClosingAuctionShare { get; init; }

    /// <summary>
    /// SSE/SZSE A-shares: CNY, 100-share board lots for purchases (SSE Trading Rules), ±10% daily limit on
    /// main-board shares, T+1 trading rule (bought shares sellable from the next day), no naked short selling.
    /// Auction shares: the closing call carries a few per cent of A-share turnover (SZSE/SSE market statistics,
    /// about 5%), the opening call about 2%.
    /// </summary>
    public static MarketRules China() => new()
    {
        Name = "cn",
        Calendar = BusinessCalendars.China2026(),
        Currency = "CNY",
        LotSize = 100,
        PriceLimit = 0.10,
        SameDayResaleBanned = true,
        PreFunded = true,
        ShortSellingAllowed = false,
        OpeningAuctionShare = 0.02,
        ClosingAuctionShare = 0.05,
    };

    /// <summary>
    /// US listed equities: USD, any whole number of shares (odd lots trade), no daily limit (limit-up/limit-down
    /// pauses are not modelled), short sales allowed with a locate (Reg SHO 203(b)); bona fide market makers are
    /// exempt from the locate. The closing auctions carry about 10% of consolidated volume (NYSE/Nasdaq 2023–24),
    /// the opening auctions about 1–2%.
    /// </summary>
    public static MarketRules UnitedStates() => new()
    {
        Name = "us",
        Calendar = BusinessCalendars.UnitedStates2026(),
        Currency = "USD",
        LotSize = 1,
        PriceLimit = null,
        SameDayResaleBanned = false,
        ShortSellingAllowed = true,
        OpeningAuctionShare = 0.015,
        ClosingAuctionShare = 0.10,
    };

    public static readonly IReadOnlyList<string> Known = ["cn", "us"];

    public static MarketRules Named(string name) => name switch
    {
        "cn" => China(),
        "us" => UnitedStates(),
        _ => throw new KeyNotFoundException($"no market '{name}' (known: {string.Join(", ", Known)})"),
    };
}
