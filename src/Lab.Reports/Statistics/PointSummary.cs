namespace Lab.Reports.Statistics;

/// <summary>One variant at one sweep point: its metrics summarised over replications, and its findings.</summary>
public sealed record PointSummary
{
    /// <summary>Position in <see cref="ExperimentResult.Points"/> (the <c>point</c> column of the CSVs).</summary>
    public required int Index { get; init; }
    public required string Variant { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; }
    public required int Replications { get; init; }
    /// <summary>Metric name → summary, in ordinal name order.</summary>
    public required SortedDictionary<string, MetricSummary> Metrics { get; init; }
    /// <summary>Names of the metrics summarised from pooled samples (the others are counters or scalars).</summary>
    public required IReadOnlySet<string> SampleMetrics { get; init; }
    /// <summary>Findings of every replication, in replication then time order (at most <see cref="ExperimentSummary.FindingsPerPoint"/>).</summary>
    public required IReadOnlyList<PointFinding> Findings { get; init; }
    /// <summary>How many findings there were in total (more than <see cref="Findings"/> when capped).</summary>
    public required int FindingsTotal { get; init; }

    /// <summary>"pbft" or "pbft, chain.nodes=16" — how a person names this point.</summary>
    public string Label => Parameters.Count == 0
        ? Variant
        : Variant + ", " + string.Join(", ", Parameters.Select(p => $"{ShortKey(p.Key)}={p.Value}"));

    /// <summary>The last segment of a dotted key: "chain.nodes" → "nodes".</summary>
    public static string ShortKey(string key) => key[(key.LastIndexOf('.') + 1)..];

    public string? Parameter(string axis) =>
        Parameters.FirstOrDefault(p => p.Key == axis) is { Key: not null } kv ? kv.Value : null;
}

/// <summary>A finding of one replication, e.g. a safety violation with its height, nodes and time.</summary>
public sealed record PointFinding(int Replication, ulong Seed, double TimeSeconds, string Kind, string Text);
