using Lab.Sim.Kernel;
using Lab.Sim.Metrics;

namespace Lab.Reports;

/// <summary>
/// Everything an experiment produced, handed from Lab.Experiments to the report writers. Points are
/// in expansion order (variant, then sweep point); replications in seed order.
/// </summary>
public sealed record ExperimentResult
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public required ulong Seed { get; init; }
    /// <summary>The experiment file as the user wrote it.</summary>
    public required string SourceYaml { get; init; }
    /// <summary>Defaults filled in and overrides applied.</summary>
    public required string ResolvedYaml { get; init; }
    /// <summary>Chart names asked for in <c>outputs.charts</c> (empty: the writer picks sensible ones).</summary>
    public IReadOnlyList<string> Charts { get; init; } = [];
    /// <summary>What the models' words mean (<see cref="MetricWord"/>): "throughput", "latency" and "settlement"
    /// for charts, the headline and the narrative. Without them, only exact metric names are understood.</summary>
    public IReadOnlyList<MetricWord> Words { get; init; } = [];
    /// <summary>Names of the sweep axes (keys), in order; empty when there is no sweep.</summary>
    public IReadOnlyList<string> SweepAxes { get; init; } = [];
    /// <summary>Metrics excluded before this virtual time (the warm-up), in seconds.</summary>
    public double WarmupSeconds { get; init; }
    /// <summary>What the experiment expects of safety: "hold" (default) or "violated".</summary>
    public string ExpectedSafety { get; init; } = "hold";
    /// <summary>Sentences from the model that open the report's summary, before the generated ones.</summary>
    public IReadOnlyList<string> Opening { get; init; } = [];
    /// <summary>Items to follow step by step in the report (null: the model offers none).</summary>
    public JourneySet? Follow { get; init; }
    /// <summary>Tables from the model, shown after the summary.</summary>
    public IReadOnlyList<ReportTable> Tables { get; init; } = [];
    public required IReadOnlyList<PointResult> Points { get; init; }
}

/// <summary>One variant at one sweep point, with all its replications.</summary>
public sealed record PointResult
{
    public required string Variant { get; init; }
    /// <summary>Sweep axis → value as written (e.g. "chain.nodes" → "16"); ordered as the axes.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; }
    public required IReadOnlyList<ReplicationResult> Replications { get; init; }
}

/// <summary>One run: its seed, what the kernel counted, and the merged metrics.</summary>
public sealed record ReplicationResult
{
    public required int Index { get; init; }
    public required ulong Seed { get; init; }
    public required RunStats Stats { get; init; }
    public required RunMetrics Metrics { get; init; }
    /// <summary>Per-node names and kinds, same order as <see cref="RunStats.CpuUtilisation"/>.</summary>
    public IReadOnlyList<(string Name, string Kind)> Nodes { get; init; } = [];
}
