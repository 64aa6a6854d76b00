using Lab.Reports.Statistics;

namespace Lab.Reports.Charts;

/// <summary>
/// One chart an experiment asked for, read from its name against the experiment's metrics
/// (<see cref="ChartCatalog.Plan"/>): which kind, and exactly which metrics it draws. Each kind is a
/// small type — <see cref="TimeSeriesChart"/>, <see cref="DistributionChart"/>, <see cref="SweepChart"/>,
/// <see cref="BarChart"/>, <see cref="TimelineChart"/>, <see cref="PerNodeChart"/> — that turns results into plain
/// numbers and names and draws those with its <c>Render</c> method.
/// </summary>
/// <param name="Name">The name as asked for; also the file name stem (<c>charts/{Name}.png|svg</c>).</param>
public abstract record Chart(string Name)
{
    /// <summary>The exact metric (or series) names this chart draws; empty for kernel measurements such as CPU per node.</summary>
    public abstract IReadOnlyList<string> Draws { get; }

    /// <summary>The chart of these results, or null with the reason when the results cannot feed it.</summary>
    public abstract ChartImage? Draw(ExperimentResult result, ExperimentSummary summary, out string why);
}

/// <summary>A chart name read against an experiment: the chart to draw, or why there is none.</summary>
/// <param name="Lookup">When a metric word matched nothing: what was looked for and what exists (for "did you mean").</param>
public sealed record ChartPlan(string Name, Chart? Chart, string? Problem, MetricLookup? Lookup = null)
{
    public static ChartPlan Of(Chart chart) => new(chart.Name, chart, null);
    public static ChartPlan Failed(string name, string problem, MetricLookup? lookup = null) => new(name, null, problem, lookup);
    /// <summary>The chart, or the lookup's problem when the metric word matched nothing.</summary>
    public static ChartPlan From(string name, MetricLookup lookup, Func<string, Chart> chart) =>
        lookup.Metric is { } m ? Of(chart(m)) : Failed(name, lookup.Why!, lookup);
}
