using Lab.Finance.Securities.Market;
using Lab.Finance.Securities.Regimes;

namespace Lab.Finance.Securities.Clearing;

/// <summary>
/// The CCP's risk model, calibrated to the price model (a CCP estimates volatilities; here it knows
/// them, so margin shortfalls come from jumps and shocks, not from mis-estimation). Initial margin
/// is parametric VaR of the member's open positions over the margin period of risk, with the
/// covariance of one market factor plus independent idiosyncratic risk (normal: jumps enter only
/// through their variance, so the tails are thinner than the path's — model risk a real CCP also
/// carries); or, for ChinaClear, a reserve ratio of average daily purchases. Stress losses take the
/// market factor ± the regime's stress move with every idiosyncratic move 3 daily standard
/// deviations against the position; the clearing fund covers the largest one or two members'
/// stress losses beyond their margin (PFMI Principle 4).
/// </summary>
public sealed class RiskEngine(SettlementRegime regime, PricePath prices)
{
    private readonly double _z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, regime.MarginConfidence);

    private double MarketDailyVariance =>
        (prices.Model.MarketVolatility * prices.Model.MarketVolatility
         + prices.Model.MarketJumpsPerYear * (prices.Model.MarketJumpMean * prices.Model.MarketJumpMean + prices.Model.MarketJumpSd * prices.Model.MarketJumpSd))
        / PriceModel.TradingDaysPerYear;

    private double IdioDailyVariance(int s) =>
        (prices.IdiosyncraticVolatility[s] * prices.IdiosyncraticVolatility[s] + prices.Model.IdiosyncraticJumpsPerYear * prices.Model.IdiosyncraticJumpSd * prices.Model.IdiosyncraticJumpSd)
        / PriceModel.TradingDaysPerYear;

    /// <summary>
    /// Initial margin of member <paramref name="m"/> (minor units). <paramref name="positions"/>: signed shares per
    /// member × security (+ long); <paramref name="averageDailyPurchases"/>: used by the reserve-ratio method.
    /// </summary>
    public long InitialMargin(IReadOnlyList<long> positions, int m, Func<int, long> mark, double averageDailyPurchases)
    {
        if (regime.Margin == MarginMethod.ReserveRatio) return (long)Math.Ceiling(regime.ReserveRatio * averageDailyPurchases);
        var s = prices.Securities;
        double beta = 0, idio = 0;
        for (int k = 0; k < s; k++)
        {
            var w = (double)positions[m * s + k] * mark(k);
            if (w == 0) continue;
            beta += prices.Beta[k] * w;
            idio += w * w * IdioDailyVariance(k);
        }
        var sd = Math.Sqrt(beta * beta * MarketDailyVariance + idio);
        return (long)Math.Ceiling(_z * Math.Sqrt(regime.MarginPeriodDays) * sd);
    }

    /// <summary>Loss of member <paramref name="m"/>'s open positions in the worse of the two stress scenarios (≥ 0).</summary>
    public long StressLoss(IReadOnlyList<long> positions, int m, Func<int, long> mark)
    {
        var s = prices.Securities;
        double worst = 0;
        foreach (var sign in new[] { -1.0, 1.0 })
        {
            double loss = 0;
            for (int k = 0; k < s; k++)
            {
                var w = (double)positions[m * s + k] * mark(k);
                if (w == 0) continue;
                loss += -w * prices.Beta[k] * sign * regime.StressMarketMove;
                loss += Math.Abs(w) * 3 * Math.Sqrt(IdioDailyVariance(k));
            }
            worst = Math.Max(worst, loss);
        }
        return (long)Math.Ceiling(worst);
    }

    /// <summary>
    /// The clearing fund: the sum of the largest <paramref name="cover"/> uncovered stress losses (stress loss beyond
    /// initial margin), allocated to members in proportion to their initial margin (every member pays at least
    /// <paramref name="minimum"/>). Returns per-member contributions; their sum is at least the Cover-k total.
    /// </summary>
    public static long[] ClearingFund(IReadOnlyList<long> stressLoss, IReadOnlyList<long> initialMargin, int cover, long minimum = 0)
    {
        var n = stressLoss.Count;
        var uncovered = Enumerable.Range(0, n).Select(m => Math.Max(0, stressLoss[m] - initialMargin[m])).OrderDescending().ToList();
        var total = uncovered.Take(cover).Sum();
        var im = initialMargin.Sum();
        var fund = new long[n];
        for (int m = 0; m < n; m++)
        {
            var share = im == 0 ? (double)total / n : (double)total * initialMargin[m] / im;
            fund[m] = Math.Max(minimum, (long)Math.Ceiling(share));
        }
        return fund;
    }
}
