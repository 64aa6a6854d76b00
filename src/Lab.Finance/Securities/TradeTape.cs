namespace Lab.Finance.Securities;

/// <summary>
/// The orders of a run in time order (see <see cref="Market.OrderFlow"/>), generated up front from the
/// market's own random streams, so they depend on the seed and the market options only — never on how
/// trades settle. <see cref="Trade.Index"/> is the position in that order.
/// </summary>
public sealed class TradeTape
{
    private TradeTape(IReadOnlyList<Trade> trades, IReadOnlyList<DateOnly> tradingDays)
    {
        Trades = trades;
        TradingDays = tradingDays;
    }

    public IReadOnlyList<Trade> Trades { get; }
    /// <summary>Business days with trading in the window, in order.</summary>
    public IReadOnlyList<DateOnly> TradingDays { get; }

    /// <summary>A tape from explicit trades (generator, tests, replays). Indices must be 0..n-1 in time order.</summary>
    public static TradeTape Of(IReadOnlyList<Trade> trades, IReadOnlyList<DateOnly>? days = null)
    {
        for (int i = 0; i < trades.Count; i++)
        {
            if (trades[i].Index != i) throw new ArgumentException($"trade {i} has index {trades[i].Index}");
            if (i > 0 && trades[i].ExecutedAtNs < trades[i - 1].ExecutedAtNs) throw new ArgumentException("trades must be in time order");
        }
        return new TradeTape(trades, days ?? []);
    }

    /// <summary>Normalised Zipf weights of security popularity: weight of security k ∝ 1 / (k + 1)^exponent.</summary>
    public static double[] Popularity(int securities, double exponent)
    {
        var w = Enumerable.Range(0, securities).Select(k => 1 / Math.Pow(k + 1, exponent)).ToArray();
        var sum = w.Sum();
        for (int k = 0; k < w.Length; k++) w[k] /= sum;
        return w;
    }
}
