using System.Globalization;

namespace Lab.Finance.Securities;

/// <summary>A figure over replications: mean and its 95% interval (equal bounds with one replication).</summary>
public sealed record Estimate(double Mean, double Low, double High)
{
    public static Estimate Exactly(double v) => new(v, v, v);
}

/// <summary>What the opening sentences compare: a deferred-net variant against an on-chain variant, over all replications.</summary>
public sealed record HeadlineFigures
{
    public required string Traditional { get; init; }
    public required string OnChain { get; init; }
    public required string Currency { get; init; }
    public required int Replications { get; init; }
    public required Estimate TraditionalMedianS { get; init; }
    public required Estimate OnChainMedianS { get; init; }
    /// <summary>Cash committed, total over members (currency units), and the on-chain / traditional ratio per replication.</summary>
    public required Estimate TraditionalCash { get; init; }
    public required Estimate OnChainCash { get; init; }
    public required Estimate CashRatio { get; init; }
    /// <summary>What the run's settlement liquidity cost (cash committed at the funding rate, credit interest, borrow fees,
    /// penalties, buy-ins), currency units; null to leave it out.</summary>
    public Estimate? TraditionalCost { get; init; }
    public Estimate? OnChainCost { get; init; }
    public required Estimate TraditionalRejected { get; init; }
    public required Estimate OnChainRejected { get; init; }
    public required Estimate TraditionalFailed { get; init; }
    /// <summary>Value of net positions open at the end of their settlement day / value due (DTCC's CNS fail-rate measure).</summary>
    public Estimate? TraditionalFailedValue { get; init; }
    public required Estimate TraditionalBoughtIn { get; init; }
    public required Estimate TraditionalDefaulted { get; init; }
    public required Estimate OnChainFailed { get; init; }
    public required Estimate OnChainDefaulted { get; init; }
}

/// <summary>The plain-language sentences that open the report, generated from every replication's numbers.</summary>
public static class SettlementHeadline
{
    /// <summary>
    /// E.g. "Under us-cns (T+1) the median trade settled 27.4 h [27.3, 27.5] after execution; on-chain DvP settled in
    /// 238 ms [237, 239]. Members committed 1.2× [1.1, 1.3] as much cash on chain (prefunding before purchases: 4.1M USD)
    /// as under us-cns (margin, clearing fund and net settlement debits: 3.4M USD). Rejected at order entry: 0.4% of
    /// orders on chain, 0% under us-cns; under us-cns 2.0% of trades failed at least once, 0.1% were bought in and
    /// 0% had a defaulting side; on chain none failed and none defaulted." Intervals are 95% over the replications.
    /// </summary>
    public static string Compose(HeadlineFigures f)
    {
        var t = f.Traditional;
        var first = $"Under {t} the median trade settled {Human(f.TraditionalMedianS)} after execution; " +
                    $"{f.OnChain} settled in {Human(f.OnChainMedianS)}.";
        var second = $"Members committed {Ratio(f.CashRatio)} as much cash on chain (prefunding before purchases: {Money(f.OnChainCash.Mean, f.Currency)}) " +
                     $"as under {t} (margin, clearing fund and net settlement debits: {Money(f.TraditionalCash.Mean, f.Currency)})" +
                     (f.TraditionalCost is { } tc && f.OnChainCost is { } oc
                         ? $"; with credit, borrowing, penalties and buy-ins that cost {Money(oc.Mean, f.Currency)} on chain and {Money(tc.Mean, f.Currency)} under {t} over the run."
                         : ".");
        var third = $"Rejected at order entry: {Percent(f.OnChainRejected)} of orders on chain, {Percent(f.TraditionalRejected)} under {t}; " +
                    $"under {t} {Percent(f.TraditionalFailed)} of trades failed at least once" +
                    (f.TraditionalFailedValue is { } fv ? $" ({Percent(fv)} of the value of net positions due)" : "") +
                    $", {Percent(f.TraditionalBoughtIn)} were bought in " +
                    $"and {Percent(f.TraditionalDefaulted)} had a defaulting side; on chain " +
                    (f.OnChainFailed.Mean == 0 ? "none failed" : $"{Percent(f.OnChainFailed)} failed") + " and " +
                    (f.OnChainDefaulted.Mean == 0 ? "none defaulted." : $"{Percent(f.OnChainDefaulted)} had a frozen side.");
        return $"{first} {second} {third}";
    }

    /// <summary>A duration in the unit a person would use: 2.1 s, 14 min, 18.4 h, 3.2 days.</summary>
    public static string Human(double seconds)
    {
        if (double.IsNaN(seconds)) return "never (nothing settled)";
        var (scale, unit) = Unit(seconds);
        return F(seconds / scale) + unit;
    }

    /// <summary>A duration with its interval in the same unit: "27.4 h [27.3, 27.5]" (no brackets when the bounds equal the mean).</summary>
    public static string Human(Estimate e)
    {
        if (double.IsNaN(e.Mean)) return "never (nothing settled)";
        var (scale, unit) = Unit(e.Mean);
        var text = F(e.Mean / scale) + unit;
        var (low, high) = (F(e.Low / scale), F(e.High / scale));
        // No brackets when the interval rounds to the figure itself.
        return low == high && low == F(e.Mean / scale) ? text : $"{text} [{low}, {high}]";
    }

    private static (double Scale, string Unit) Unit(double seconds) =>
        seconds < 1 ? (1e-3, " ms") : seconds < 120 ? (1, " s") : seconds < 2 * 3600 ? (60, " min") : seconds < 3 * 86400 ? (3600, " h") : (86400, " days");

    private static string F(double v) => v.ToString(Math.Abs(v) < 100 ? "0.#" : "0", CultureInfo.InvariantCulture);

    private static string Ratio(Estimate r)
    {
        string R(double x) => x.ToString(x < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
        return r.Low == r.High ? $"{R(r.Mean)}×" : $"{R(r.Mean)}× [{R(r.Low)}, {R(r.High)}]";
    }

    private static string Percent(Estimate e)
    {
        static string P(double f)
        {
            var v = f * 100;
            return v.ToString(Math.Abs(v) < 1 ? "0.##" : Math.Abs(v) < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + "%";
        }
        var (mean, low, high) = (P(e.Mean), P(Math.Max(0, e.Low)), P(e.High));
        return low == high && low == mean ? mean : $"{mean} [{low}, {high}]";
    }

    /// <summary>Money with a magnitude suffix: 4.1M USD, 830k CNY.</summary>
    public static string Money(double amount, string currency)
    {
        var a = Math.Abs(amount);
        var (scale, suffix) = a >= 1e9 ? (1e9, "bn") : a >= 1e6 ? (1e6, "M") : a >= 1e3 ? (1e3, "k") : (1, "");
        return (amount / scale).ToString(amount / scale < 100 ? "0.#" : "0", CultureInfo.InvariantCulture) + suffix + " " + currency;
    }
}
