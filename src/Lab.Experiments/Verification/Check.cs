using Lab.Experiments.Yaml;

namespace Lab.Experiments.Verification;

/// <summary>
/// One entry of <c>verify.checks</c>: a claim about one statistic of one metric at one point of the
/// experiment, the value a paper or a closed form gives for it, how close the lab must come, and
/// where the value comes from.
/// </summary>
public sealed record Check
{
    /// <summary>Where the entry starts (its <c>- </c>).</summary>
    public required SourceMark Mark { get; init; }
    /// <summary>Position in <c>verify.checks</c>, from 0.</summary>
    public required int Index { get; init; }
    /// <summary>What is claimed, in a sentence (<c>check:</c>).</summary>
    public required string Claim { get; init; }
    public required PointSelector At { get; init; }
    /// <summary>A second point (<c>minus:</c> or <c>over:</c>) combined with <see cref="At"/> run by run (same replication, same seed); null: none.</summary>
    public PointSelector? Other { get; init; }
    /// <summary>How <see cref="Other"/> combines with <see cref="At"/>: subtracted or divided by.</summary>
    public Combination Combination { get; init; }
    /// <summary>A metric name, or a formula of metrics evaluated run by run.</summary>
    public required Expression Metric { get; init; }
    public required SourceMark MetricMark { get; init; }
    public required Statistic Statistic { get; init; }
    /// <summary>The expected value; for <see cref="StatisticKind.Values"/>, the expected list in ascending order.</summary>
    public required IReadOnlyList<Expression> Expect { get; init; }
    public required Tolerance Tolerance { get; init; }
    public required SourceMark ToleranceMark { get; init; }
    /// <summary>The paper, table or derivation the expected value comes from (<c>source:</c>).</summary>
    public required string Source { get; init; }

    /// <summary>Index of the point <see cref="At"/> selects (resolved after the experiment's points are known).</summary>
    public int Point { get; init; } = -1;
    /// <summary>Index of the point <see cref="Other"/> selects, or −1.</summary>
    public int OtherPoint { get; init; } = -1;

    /// <summary>The key path used in messages: <c>verify.checks[2]</c>.</summary>
    public string Path => $"verify.checks[{Index}]";
}

/// <summary>How a check's second point combines with its first, run by run.</summary>
public enum Combination
{
    /// <summary><c>minus:</c> at − other (what one variant adds to another).</summary>
    Minus,
    /// <summary><c>over:</c> at / other (a ratio, e.g. "cuts the delay by 90%": 0.1).</summary>
    Over,
}
