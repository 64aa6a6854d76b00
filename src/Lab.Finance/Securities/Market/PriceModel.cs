using Lab.Sim.Distributions;

namespace Lab.Finance.Securities.Market;

/// <summary>
/// Parameters of the price process (see <see cref="PricePath"/>): geometric Brownian motion with
/// Merton jumps, every security driven by one market factor through its beta plus its own noise and
/// jumps. Volatilities are annual (252 trading days).
/// </summary>
public sealed record PriceModel
{
    /// <summary>Starting price per security, in currency units (drawn once per security).</summary>
    public Distribution InitialPrice { get; init; } = new LogNormal(3, 0.6);
    /// <summary>Annual volatility of the market factor. S&amp;P 500 realised volatility averages 15–19% a year
    /// (the Cboe VIX averaged about 19.5 over 1990–2023); CSI 300 about 22–25%.</summary>
    public double MarketVolatility { get; init; } = 0.18;
    /// <summary>Annual idiosyncratic volatility per security, drawn once. Campbell, Lettau, Malkiel &amp; Xu (2001):
    /// firm-specific volatility is the larger part of a stock's total; a median near 25% suits large caps.</summary>
    public Distribution IdiosyncraticVolatility { get; init; } = new LogNormal(Math.Log(0.25), 0.4);
    /// <summary>Market beta per security: mean and standard deviation (truncated at 0.2).</summary>
    public double BetaMean { get; init; } = 1.0;
    public double BetaSd { get; init; } = 0.3;
    /// <summary>Market jumps a year, and their log-size mean and s.d. Order of magnitude of Eraker, Johannes &amp;
    /// Polson (2003, J. Finance) estimates for the S&amp;P 500: about 1.5 jumps a year, mean about −2%, s.d. about 3–4%.</summary>
    public double MarketJumpsPerYear { get; init; } = 1.5;
    public double MarketJumpMean { get; init; } = -0.02;
    public double MarketJumpSd { get; init; } = 0.035;
    /// <summary>Idiosyncratic jumps a year (four quarterly earnings announcements) and their log-size s.d.
    /// (earnings-day moves of large caps average 4–5% in absolute value).</summary>
    public double IdiosyncraticJumpsPerYear { get; init; } = 4;
    public double IdiosyncraticJumpSd { get; init; } = 0.05;
    /// <summary>Share of a day's variance realised overnight, between the close and the next open (about a
    /// quarter for US large caps).</summary>
    public double OvernightVarianceShare { get; init; } = 0.25;
    /// <summary>Half the bid–ask spread, as a fraction of the mid price (the aggressor pays it). 5 bp: one 0.01 tick
    /// on a 20-yuan A-share; US large caps are tighter.</summary>
    public double HalfSpread { get; init; } = 0.0005;
    /// <summary>Scheduled market shocks (a volatile day): at each local time the market factor jumps by the given
    /// fraction (−0.09: −9%), every security by beta times that.</summary>
    public IReadOnlyList<MarketShock> Shocks { get; init; } = [];

    public const double TradingDaysPerYear = 252;

    /// <summary>Daily variance of security returns under this model, diffusion plus jumps, for a beta and idiosyncratic vol.</summary>
    public double DailyVariance(double beta, double idioVol) =>
        (beta * beta * (MarketVolatility * MarketVolatility + MarketJumpsPerYear * (MarketJumpMean * MarketJumpMean + MarketJumpSd * MarketJumpSd))
         + idioVol * idioVol + IdiosyncraticJumpsPerYear * IdiosyncraticJumpSd * IdiosyncraticJumpSd) / TradingDaysPerYear;

    public void Validate()
    {
        if (MarketVolatility < 0) throw new ArgumentException("market volatility must be ≥ 0");
        if (OvernightVarianceShare is < 0 or >= 1) throw new ArgumentException("the overnight variance share is in [0, 1)");
        if (HalfSpread is < 0 or >= 0.5) throw new ArgumentException("the half spread is a fraction in [0, 0.5)");
        if (MarketJumpsPerYear < 0 || IdiosyncraticJumpsPerYear < 0) throw new ArgumentException("jump intensities must be ≥ 0");
    }
}

/// <summary>A market-wide move at a local date and time (a crash or a rally), e.g. −9% at 10:30 on a Wednesday.</summary>
public sealed record MarketShock(DateTime LocalTime, double Move);
