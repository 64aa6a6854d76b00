using Lab.Finance.Securities.Market;
using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Finance.Securities;

/// <summary>
/// The market of a run: members and their balance sheets, securities and their prices, and the order
/// flow — identical for every settlement variant of one seed. Defaults: 20 members, 50 securities,
/// 50,000 trades in one week (the teaching demo).
/// </summary>
public sealed record MarketOptions
{
    /// <summary>Clearing members.</summary>
    public int Members { get; init; } = 20;
    public int Securities { get; init; } = 50;
    /// <summary>Trades planned over the trading days of <see cref="TradingWindow"/> (a few are dropped when no member
    /// can take the other side within its own holdings and cash).</summary>
    public int Trades { get; init; } = 50_000;
    /// <summary>Trades happen on business days from the run start up to this span (default one week).</summary>
    public Duration TradingWindow { get; init; } = Duration.FromDays(7);
    public PriceModel Prices { get; init; } = new();
    /// <summary>Shares per order before rounding up to the board lot.</summary>
    public Distribution Quantity { get; init; } = new LogNormal(6, 1);
    /// <summary>Zipf exponent of security popularity (a few names carry most volume).</summary>
    public double SecurityZipf { get; init; } = 0.8;
    /// <summary>Log-normal sigma of member size (some members trade far more).</summary>
    public double MemberActivitySigma { get; init; } = 0.5;
    /// <summary>Share of members that are market makers, and of directional institutions; the rest are agency brokers.</summary>
    public double MarketMakerShare { get; init; } = 0.2;
    public double DirectionalShare { get; init; } = 0.25;
    /// <summary>Share of continuous trades with a market maker on the passive side (US: designated and electronic
    /// market makers provide about half of displayed liquidity; modelled, not calibrated).</summary>
    public double MarketMakerPassiveShare { get; init; } = 0.5;
    /// <summary>Share of trades initiated by directional institutions working their programmes.</summary>
    public double DirectionalFlowShare { get; init; } = 0.25;
    /// <summary>Securities each directional institution trades a programme in each day, and the programme's size as a
    /// share of the security's expected daily volume.</summary>
    public int ProgrammesPerDay { get; init; } = 3;
    public double ProgrammeParticipation { get; init; } = 0.08;
    /// <summary>Market makers' intraday inventory limit per security, in days of their expected volume in it.</summary>
    public double MarketMakerInventoryLimitDays { get; init; } = 0.5;
    /// <summary>Share of directional trades that are negotiated blocks, and their size as a multiple of an ordinary order.</summary>
    public double BlockShare { get; init; } = 0.02;
    public double BlockSizeMultiple { get; init; } = 40;
    /// <summary>Intraday U shape: the rate at the open and close is (1 + this) times the midday rate.</summary>
    public double OpenCloseBoost { get; init; } = 2.0;
    /// <summary>Share of institutional (block) trades affirmed on trade date. DTCC: about 95% affirmed by the 21:00 ET
    /// cut-off on T after the move to T+1 (90% was the industry target, SIFMA/DTCC 2024).</summary>
    public double AffirmedSameDayShare { get; init; } = 0.95;
    /// <summary>Mean delay from execution (or from the next morning's open, for late ones) to affirmation.</summary>
    public Duration AffirmationDelayMean { get; init; } = Duration.FromMinutes(90);
    public BalanceSheetOptions BalanceSheet { get; init; } = new();
    /// <summary>Operational outages of members (signing, connectivity, back office): chance per member and business
    /// day, and how long one lasts. The same schedule in every variant.</summary>
    public double OutagePerMemberDay { get; init; } = 0.01;
    public Duration OutageLength { get; init; } = Duration.FromHours(2);

    public void Validate()
    {
        if (Members < 4) throw new ArgumentException("at least four members trade");
        if (Securities < 1) throw new ArgumentException("at least one security");
        if (Trades < 0) throw new ArgumentException("trades must be ≥ 0");
        if (AffirmedSameDayShare is < 0 or > 1) throw new ArgumentException("affirmed-same-day share is a fraction in [0, 1]");
        if (MarketMakerShare + DirectionalShare > 0.8) throw new ArgumentException("market makers and directional members leave too few agency brokers");
        Prices.Validate();
    }
}
