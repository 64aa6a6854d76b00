using System.Globalization;
using Lab.Finance.Securities;

namespace Lab.Finance.Abs;

/// <summary>What the opening sentences compare: monthly servicer reports reconciled by hand against the deal contract on chain, over all replications.</summary>
public sealed record AbsFigures
{
    public required string Traditional { get; init; }
    public required string OnChain { get; init; }
    public required int Replications { get; init; }
    public required int Periods { get; init; }
    public required double PoolCny { get; init; }
    public required Estimate TraditionalEventMedianS { get; init; }
    public required Estimate OnChainEventMedianS { get; init; }
    public required Estimate TraditionalBreaks { get; init; }
    public required Estimate TraditionalBreakFoundMedianS { get; init; }
    public required Estimate OnChainBreaks { get; init; }
    public required Estimate OnChainMismatches { get; init; }
    public required Estimate InterestA { get; init; }
    public required Estimate PrincipalA { get; init; }
    public required Estimate InterestB { get; init; }
    public required Estimate PrincipalB { get; init; }
    public required Estimate Residual { get; init; }
    public required Estimate FactorA { get; init; }
    public required Estimate SequentialShare { get; init; }
    /// <summary>Over the runs that switched: the first sequential payment date, 1-based.</summary>
    public required Estimate SequentialFromPaymentDate { get; init; }
    public required Estimate TraditionalTradeMedianS { get; init; }
    public required Estimate OnChainTradeMedianS { get; init; }
    public required Estimate TraditionalMisdirected { get; init; }
}

/// <summary>The ABS report's two opening sentences, composed from measured figures only.</summary>
public static class AbsHeadline
{
    public static string Compose(AbsFigures f)
    {
        var reps = f.Replications > 1 ? $" (mean of {f.Replications} runs, 95% interval)" : "";
        var first =
            $"Under {f.Traditional} (monthly servicer reports, reconciled by hand at each party) a loan event reached every party of the {Money(Estimate.Exactly(f.PoolCny))} deal " +
            $"a median {SettlementHeadline.Human(f.TraditionalEventMedianS)} after it happened and {Count(f.TraditionalBreaks)} reconciliation breaks surfaced a median {SettlementHeadline.Human(f.TraditionalBreakFoundMedianS)} late; " +
            $"under {f.OnChain} (every party's node runs the deal contract) it took a median {SettlementHeadline.Human(f.OnChainEventMedianS)}, " +
            $"with {Count(f.OnChainBreaks)} breaks and {Count(f.OnChainMismatches)} waterfall differences between replicas{reps}.";
        var trigger = f.SequentialShare.Mean > 0
            ? $"; a coverage or loss trigger switched principal to sequential in {Percent(f.SequentialShare)} of runs, from payment date {Count(f.SequentialFromPaymentDate)} on"
            : "; principal stayed pro rata (no trigger breached)";
        var second =
            $"Over {f.Periods} monthly payment dates the waterfall paid class A {Money(f.InterestA)} interest and {Money(f.PrincipalA)} principal (factor {Factor(f.FactorA)}), " +
            $"class B {Money(f.InterestB)} and {Money(f.PrincipalB)}, and the subordinated holder {Money(f.Residual)} of residual{trigger}; " +
            $"a unit trade reached the register a median {SettlementHeadline.Human(f.TraditionalTradeMedianS)} after it was agreed under {f.Traditional} " +
            $"({Money(f.TraditionalMisdirected)} paid to sellers of units already sold) and {SettlementHeadline.Human(f.OnChainTradeMedianS)} under {f.OnChain}.";
        return $"{first} {second}";
    }

    private static string Money(Estimate e)
    {
        if (double.IsNaN(e.Mean)) return "nothing measured";
        var text = SettlementHeadline.Money(e.Mean, "CNY");
        return e.Low == e.High ? text : $"{text} [{SettlementHeadline.Money(Math.Max(0, e.Low), "CNY")}, {SettlementHeadline.Money(e.High, "CNY")}]";
    }

    private static string Count(Estimate e)
    {
        static string C(double v) => v.ToString(v < 10 ? "0.#" : "0", CultureInfo.InvariantCulture);
        if (double.IsNaN(e.Mean)) return "no";
        return e.Low == e.High ? C(e.Mean) : $"{C(e.Mean)} [{C(Math.Max(0, e.Low))}, {C(e.High)}]";
    }

    private static string Factor(Estimate e) =>
        e.Low == e.High ? e.Mean.ToString("0.000", CultureInfo.InvariantCulture)
            : $"{e.Mean.ToString("0.000", CultureInfo.InvariantCulture)} [{e.Low.ToString("0.000", CultureInfo.InvariantCulture)}, {e.High.ToString("0.000", CultureInfo.InvariantCulture)}]";

    private static string Percent(Estimate e) => (e.Mean * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}
