using System.Globalization;
using Lab.Finance.Securities;

namespace Lab.Finance.Insurance;

/// <summary>What the opening sentences compare: paper claims against on-chain claims, over all replications.</summary>
public sealed record ClaimsFigures
{
    public required string Traditional { get; init; }
    public required string OnChain { get; init; }
    public required int Replications { get; init; }
    public required Estimate TraditionalMedianS { get; init; }
    public required Estimate TraditionalWithin14d { get; init; }
    public required Estimate TraditionalWithin30d { get; init; }
    public required Estimate TraditionalVisitMedianS { get; init; }
    public required Estimate OnChainMedianS { get; init; }
    public required Estimate OnChainP90S { get; init; }
    public required Estimate AutoShare { get; init; }
    public required Estimate TraditionalCost { get; init; }
    public required Estimate OnChainCost { get; init; }
    public required Estimate RefusedNoConsent { get; init; }
    public required Estimate Claims { get; init; }
    public required Estimate EvidenceFailed { get; init; }
    public required double CostPerTouch { get; init; }
}

/// <summary>The claims report's two opening sentences, composed from measured figures only.</summary>
public static class ClaimsHeadline
{
    public static string Compose(ClaimsFigures f)
    {
        var reps = f.Replications > 1 ? $" (mean of {f.Replications} runs, 95% interval)" : "";
        var first =
            $"Under {f.Traditional} (paper claims, manual review in office hours, a daily payment batch) a claim was paid a median {SettlementHeadline.Human(f.TraditionalMedianS)} after it was filed " +
            $"({Percent(f.TraditionalWithin14d)} within 14 days and {Percent(f.TraditionalWithin30d)} within 30; AHIP: 93% and 98%) and {SettlementHeadline.Human(f.TraditionalVisitMedianS)} after the visit; " +
            $"under {f.OnChain} {Percent(f.AutoShare)} of claims were paid without a human touch and a claim was paid a median {SettlementHeadline.Human(f.OnChainMedianS)} after the visit record left the hospital " +
            $"(90th percentile {SettlementHeadline.Human(f.OnChainP90S)}; the bank pays in its hours on banking days){reps}.";
        var second =
            $"Manual work cost {Cny(f.TraditionalCost)} per claim on paper and {Cny(f.OnChainCost)} on chain (assumption: {f.CostPerTouch.ToString("0.##", CultureInfo.InvariantCulture)} CNY per manual touch); " +
            $"the contract refused {Count(f.RefusedNoConsent)} of {Count(f.Claims)} claims for missing consent (those customers filed on paper), " +
            $"and {(f.EvidenceFailed.Mean == 0 ? "every visit record the insurer received matched its anchored Merkle root" : $"{Count(f.EvidenceFailed)} visit records failed the check against their anchored Merkle root")}.";
        return $"{first} {second}";
    }

    private static string Percent(Estimate e)
    {
        static string P(double x) => (x * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
        if (double.IsNaN(e.Mean)) return "none";
        return e.Low == e.High ? P(e.Mean) : $"{P(e.Mean)} [{P(Math.Max(0, e.Low))}, {P(Math.Min(1, e.High))}]";
    }

    private static string Cny(Estimate e)
    {
        static string C(double x) => x.ToString("0.#", CultureInfo.InvariantCulture) + " CNY";
        if (double.IsNaN(e.Mean)) return "nothing measured";
        return e.Low == e.High ? C(e.Mean) : $"{C(e.Mean)} [{C(Math.Max(0, e.Low))}, {C(e.High)}]";
    }

    private static string Count(Estimate e) => double.IsNaN(e.Mean) ? "no" : e.Mean.ToString(e.Mean < 100 && e.Mean != Math.Round(e.Mean) ? "0.#" : "#,0", CultureInfo.InvariantCulture);
}
