using System.Globalization;

namespace Lab.Experiments.Verification;

/// <summary>What a check reads from a metric at a point.</summary>
public enum StatisticKind
{
    /// <summary>Mean over replications of each run's value (a sample metric's run value is its mean): summary.json's <c>mean</c>.</summary>
    Mean,
    /// <summary>Smallest sample (sample metric: all runs' samples pooled; otherwise the runs' values).</summary>
    Min,
    /// <summary>Largest sample, pooled as for <see cref="Min"/>.</summary>
    Max,
    /// <summary>A percentile of the pooled samples (type 7, <see cref="Sim.Metrics.Quantile"/>).</summary>
    Percentile,
    /// <summary>Every pooled sample must lie within the tolerance of the expected value.</summary>
    Every,
    /// <summary>The pooled samples in ascending order, compared one by one with a list of expected values.</summary>
    Values,
}

/// <summary>A check's <c>statistic:</c> — <c>mean</c>, <c>min</c>, <c>max</c>, <c>p50</c>, <c>p99.9</c>, <c>every</c> or <c>values</c>.</summary>
public sealed record Statistic(StatisticKind Kind, double P = 0)
{
    public const string Choices = "mean, min, max, p50, p99 (any percentile), every or values";

    public static Statistic? Parse(string text)
    {
        switch (text)
        {
            case "mean": return new(StatisticKind.Mean);
            case "min": return new(StatisticKind.Min);
            case "max": return new(StatisticKind.Max);
            case "every": return new(StatisticKind.Every);
            case "values": return new(StatisticKind.Values);
        }
        if (text.Length > 1 && text[0] == 'p'
            && double.TryParse(text[1..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var pct) && pct is > 0 and < 100)
            return new(StatisticKind.Percentile, pct / 100);
        return null;
    }

    public override string ToString() => Kind switch
    {
        StatisticKind.Percentile => "p" + (P * 100).ToString("0.###", CultureInfo.InvariantCulture),
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
