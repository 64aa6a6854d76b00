using System.Globalization;

namespace Lab.Finance.Securities;

/// <summary>The two plain-language sentences that open the report, generated from the numbers.</summary>
public static class SettlementHeadline
{
    /// <summary>E.g. "Under T+1 the median trade settled 18.4 h after execution; on-chain DvP settled in 2.1 s.
    /// Members needed 1.2× more cash on hand because netting was lost (7.1× to pre-fund every purchase without
    /// counting on same-day sales), and 1.1% of on-chain trades were rejected for lack of pre-funding (T+n failed 1.7%)."</summary>
    public static string Compose(SecuritiesResults traditional, SecuritiesResults onChain)
    {
        var first = $"Under {traditional.Variant} the median trade settled {Human(traditional.SettlementTimeP50S)} after execution; " +
                    $"{onChain.Variant} settled in {Human(onChain.SettlementTimeP50S)}.";
        var gross = onChain.LiquidityNeededCny.Sum();
        var net = traditional.LiquidityNeededCny.Sum();
        string second;
        var prefundAll = onChain.PurchasesPeakCny.Sum();
        if (net > 0 && gross > net * 1.05)
            second = $"Members needed {Ratio(gross / net)} more cash on hand because netting was lost" +
                     (prefundAll > gross * 1.5 ? $" ({Ratio(prefundAll / net)} to pre-fund every purchase without counting on same-day sales)" : "");
        else if (net > 0 && gross < net * 0.95)
            second = $"Members needed {Ratio(net / gross)} less cash on hand on chain";
        else
            second = "Members needed about the same cash on hand in both";
        var rejected = onChain.Trades == 0 ? 0 : (double)onChain.RejectedPrefunding / onChain.Trades;
        second += rejected > 0
            ? $", and {Percent(rejected)} of on-chain trades were rejected for lack of pre-funding (T+n failed {Percent(traditional.FailRate)})."
            : $"; {Percent(traditional.FailRate)} of trades failed under {traditional.Variant}.";
        return first + " " + second;
    }

    /// <summary>A duration in the unit a person would use: 2.1 s, 14 min, 18.4 h, 3.2 days.</summary>
    public static string Human(double seconds)
    {
        if (double.IsNaN(seconds)) return "never (nothing settled)";
        string F(double v) => v.ToString(v < 100 ? "0.#" : "0", CultureInfo.InvariantCulture);
        if (seconds < 1) return F(seconds * 1000) + " ms";
        if (seconds < 120) return F(seconds) + " s";
        if (seconds < 2 * 3600) return F(seconds / 60) + " min";
        if (seconds < 3 * 86400) return F(seconds / 3600) + " h";
        return F(seconds / 86400) + " days";
    }

    private static string Ratio(double r) => r.ToString(r < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + "×";
    private static string Percent(double f) => (f * 100).ToString(f < 0.1 ? "0.0" : "0", CultureInfo.InvariantCulture) + "%";
}
