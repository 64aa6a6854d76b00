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
    /// <summary>A second point whose value is subtracted run by run (same replication, same seed); null: none.</summary>
    public PointSelector? Minus { get; init; }
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
    /// <summary>Index of the point <see cref="Minus"/> selects, or −1.</summary>
    public int MinusPoint { get; init; } = -1;

    /// <summary>The key path used in messages: <c>verify.checks[2]</c>.</summary>
    public string Path => $"verify.checks[{Index}]";
}
