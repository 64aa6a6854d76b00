using System.Globalization;
using Lab.Finance.Securities;

namespace Lab.Finance.SupplyChain;

/// <summary>
/// The two sentences that open a supply-chain report: how much of tier 1 and of the top tier got bank money, and how
/// fast, under paper and with vouchers; then the cost at the top tier and what happened to the double-financing attempts.
/// </summary>
public static class SupplyChainHeadline
{
    /// <summary>One flow's figures over its replications (double-financing counts are totals over them).</summary>
    public sealed record Side(Estimate Tier1Share, Estimate TopShare, Estimate Tier1TimeToCashS, Estimate TopTimeToCashS, Estimate TopCost,
        double DoubleAttempts, double DoubleFinanced, double DoubleStopped, int Replications);

    public static IReadOnlyList<string> Compose(Side paper, Side vouchers, string paperName, string voucherName, int top)
    {
        var first = $"On {paperName} {Percent(paper.Tier1Share)} of tier-1 suppliers who asked got bank money but only {Percent(paper.TopShare)} at tier {top} " +
                    $"(median time to cash {SettlementHeadline.Human(paper.Tier1TimeToCashS)} at tier 1, {SettlementHeadline.Human(paper.TopTimeToCashS)} at tier {top}); " +
                    $"with {voucherName} {Percent(vouchers.Tier1Share)} at tier 1 and {Percent(vouchers.TopShare)} at tier {top} " +
                    $"(median {SettlementHeadline.Human(vouchers.Tier1TimeToCashS)} and {SettlementHeadline.Human(vouchers.TopTimeToCashS)}).";
        var cost = double.IsFinite(paper.TopCost.Mean) && double.IsFinite(vouchers.TopCost.Mean)
            ? $"Tier {top} paid {Percent(vouchers.TopCost)} a year on the core's credit with {voucherName} against {Percent(paper.TopCost)} on its own on {paperName}"
            : $"Tier {top} financing cost {Rate(vouchers.TopCost)} a year with {voucherName}, {Rate(paper.TopCost)} on {paperName}";
        string Count(double v) => v.ToString("0", CultureInfo.InvariantCulture);
        var doubles = paper.DoubleAttempts == 0 && vouchers.DoubleAttempts == 0
            ? "; no holder tried to finance the same receivable twice."
            : $"; of {Count(paper.DoubleAttempts)} receivables taken to two banks on {paperName} {Count(paper.DoubleFinanced)} were financed twice, " +
              $"while with {voucherName} the contract refused {Count(vouchers.DoubleStopped)} of {Count(vouchers.DoubleAttempts)} second discounts" +
              (vouchers.Replications > 1 ? $" (totals over {vouchers.Replications} runs)." : ".");
        return [first, cost + doubles];
    }

    private static string Rate(Estimate e) => double.IsFinite(e.Mean) ? Percent(e) : "n/a (nothing financed)";

    private static string Percent(Estimate e)
    {
        if (!double.IsFinite(e.Mean)) return "n/a";
        static string P(double f)
        {
            var v = f * 100;
            return v.ToString(Math.Abs(v) < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + "%";
        }
        var (mean, low, high) = (P(e.Mean), P(Math.Max(0, e.Low)), P(Math.Min(1, e.High)));
        return low == high && low == mean ? mean : $"{mean} [{low}, {high}]";
    }
}
