using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Finance.Securities;

/// <summary>
/// The trades of the market, identical for every settlement variant of one seed. Defaults follow
/// shared/examples/t1-vs-onchain.yaml: 20 brokers, 50 securities, 50,000 trades in one week.
/// </summary>
public sealed record MarketOptions
{
    /// <summary>Clearing members (brokers).</summary>
    public int Members { get; init; } = 20;
    public int Securities { get; init; } = 50;
    /// <summary>Trades executed over the trading days of <see cref="TradingWindow"/>.</summary>
    public int Trades { get; init; } = 50_000;
    /// <summary>Trades are executed on business days from the run start up to this span (default one week).</summary>
    public Duration TradingWindow { get; init; } = Duration.FromDays(7);
    /// <summary>Reference price per security in yuan (units of cash), drawn once per security.</summary>
    public Distribution PricePerShare { get; init; } = new LogNormal(3, 0.6);
    /// <summary>Trade size in shares before rounding up to <see cref="RoundLot"/>.</summary>
    public Distribution Quantity { get; init; } = new LogNormal(6, 1);
    /// <summary>Board lot (SSE/SZSE A-shares: 100 shares).</summary>
    public int RoundLot { get; init; } = 100;
    /// <summary>Trade prices deviate from the reference uniformly by up to this fraction.</summary>
    public double PriceNoise { get; init; } = 0.005;
    /// <summary>Zipf exponent of security popularity (a few names carry most volume).</summary>
    public double SecurityZipf { get; init; } = 0.8;
    /// <summary>Log-normal sigma of member activity weights (some brokers trade far more).</summary>
    public double MemberActivitySigma { get; init; } = 0.5;
    /// <summary>Intraday U shape: the rate at the open and close is (1 + this) times the midday rate.</summary>
    public double OpenCloseBoost { get; init; } = 2.0;
    /// <summary>Share of trades the buy side affirms on trade date (DTCC: ~95% affirmed by the 21:00 ET
    /// cut-off on T in the first T+1 months, 2024).</summary>
    public double AffirmedSameDayShare { get; init; } = 0.95;
    /// <summary>Mean delay from execution (or from the next morning's open, for late ones) to affirmation.</summary>
    public Duration AffirmationDelayMean { get; init; } = Duration.FromMinutes(30);

    public void Validate()
    {
        if (Members < 2) throw new ArgumentException("at least two members trade");
        if (Securities < 1) throw new ArgumentException("at least one security");
        if (Trades < 0) throw new ArgumentException("trades must be ≥ 0");
        if (RoundLot < 1) throw new ArgumentException("round lot must be ≥ 1");
        if (AffirmedSameDayShare is < 0 or > 1) throw new ArgumentException("affirmed-same-day share is a fraction in [0, 1]");
    }
}
