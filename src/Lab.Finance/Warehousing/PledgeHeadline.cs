using System.Globalization;
using Lab.Finance.Securities;

namespace Lab.Finance.Warehousing;

/// <summary>What the opening sentences compare: separate bank registries against the on-chain receipt contract, over all replications.</summary>
public sealed record PledgeFigures
{
    public required string Traditional { get; init; }
    public required string OnChain { get; init; }
    public required int Replications { get; init; }
    public required Estimate TraditionalExposurePeak { get; init; }
    public required Estimate OnChainExposurePeak { get; init; }
    public required Estimate TraditionalLoss { get; init; }
    public required Estimate OnChainLoss { get; init; }
    public required Estimate TraditionalDetectionMedianS { get; init; }
    public required Estimate OnChainDetectionMedianS { get; init; }
    public required Estimate TraditionalFraudRefusedShare { get; init; }
    public required Estimate OnChainFraudRefusedShare { get; init; }
    public required Estimate TraditionalTurnaroundMedianS { get; init; }
    public required Estimate OnChainTurnaroundMedianS { get; init; }
    public required Estimate SensorMessagesPerLotDay { get; init; }
    public required Estimate ChainTxPerDay { get; init; }
}

/// <summary>The warehouse-receipt report's two opening sentences, composed from measured figures only.</summary>
public static class PledgeHeadline
{
    public static string Compose(PledgeFigures f)
    {
        var reps = f.Replications > 1 ? $" (mean of {f.Replications} runs, 95% interval)" : "";
        var first =
            $"Under {f.Traditional} (each bank its own pledge registry) fraudulent pledges of warehouse receipts left banks exposed to up to {Money(f.TraditionalExposurePeak)} and lost them {Money(f.TraditionalLoss)}, " +
            $"and a fraud came to light a median {SettlementHeadline.Human(f.TraditionalDetectionMedianS)} after it began; " +
            $"under {f.OnChain} (one receipt ledger on chain) the receipt contract refused {Percent(f.OnChainFraudRefusedShare)} of fraudulent pledges outright " +
            $"(peak exposure {Money(f.OnChainExposurePeak)}, loss {Money(f.OnChainLoss)}) and the lots' sensors exposed the rest a median {SettlementHeadline.Human(f.OnChainDetectionMedianS)} after it began{reps}.";
        var second =
            $"A loan was decided a median {SettlementHeadline.Human(f.TraditionalTurnaroundMedianS)} after the application under {f.Traditional} and {SettlementHeadline.Human(f.OnChainTurnaroundMedianS)} under {f.OnChain}, " +
            $"at the price of {Number(f.SensorMessagesPerLotDay)} signed sensor readings per lot per day and {Number(f.ChainTxPerDay)} chain transactions per day.";
        return $"{first} {second}";
    }

    private static string Money(Estimate e)
    {
        if (double.IsNaN(e.Mean)) return "nothing measured";
        var text = SettlementHeadline.Money(e.Mean, "CNY");
        return e.Low == e.High ? text : $"{text} [{SettlementHeadline.Money(Math.Max(0, e.Low), "CNY")}, {SettlementHeadline.Money(e.High, "CNY")}]";
    }

    private static string Percent(Estimate e)
    {
        static string P(double f) => (f * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
        if (double.IsNaN(e.Mean)) return "none (no fraudulent pledge attempted)";
        return e.Low == e.High ? P(e.Mean) : $"{P(e.Mean)} [{P(Math.Max(0, e.Low))}, {P(Math.Min(1, e.High))}]";
    }

    private static string Number(Estimate e) =>
        double.IsNaN(e.Mean) ? "no" : e.Mean.ToString(e.Mean < 100 ? "0.#" : "#,0", CultureInfo.InvariantCulture);
}
