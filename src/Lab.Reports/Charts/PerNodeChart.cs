using Lab.Reports.Statistics;

namespace Lab.Reports.Charts;

/// <summary>
/// One bar per node (or member) and point: <c>&lt;metric&gt;-per-node</c> draws the per-run values named
/// <c>&lt;metric&gt;.&lt;node&gt;</c> (e.g. <c>commits-per-node</c>: <c>commits.n0</c>, <c>commits.n1</c>, …; the
/// metric may leave its unit off), <c>cpu-per-node</c> the share of time the kernel measured each node busy.
/// </summary>
/// <param name="Family">The metric before <c>.&lt;node&gt;</c>; null for the kernel's CPU utilisation.</param>
public sealed record PerNodeChart(string Name, string? Family) : Chart(Name)
{
    /// <summary>The chart names this kind reads.</summary>
    public static readonly IReadOnlyList<string> Patterns = ["cpu-per-node", "<metric>-per-node"];

    private const string Suffix = "-per-node";

    public override IReadOnlyList<string> Draws => Family is null ? [] : [Family + ".<node>"];

    /// <summary>This kind's chart for <paramref name="name"/>, or null when the name is not one of its <see cref="Patterns"/>.</summary>
    public static ChartPlan? Parse(string name, ChartVocabulary v)
    {
        if (!name.EndsWith(Suffix, StringComparison.Ordinal)) return null;
        if (name == "cpu-per-node")
            return v.HasCpu ? ChartPlan.Of(new PerNodeChart(name, null)) : ChartPlan.Failed(name, "the kernel recorded no CPU utilisation");
        var family = name[..^Suffix.Length].Replace('-', '_');
        var found = new[] { family }.Concat(MetricLabels.WithUnits(family)).Where(v.HasFamily).ToList();
        if (found.Count == 1) return ChartPlan.Of(new PerNodeChart(name, found[0]));
        if (found.Count > 1) return ChartPlan.Failed(name, $"'{family}' could be {string.Join(" or ", found.Select(f => f + ".<node>"))}: name the metric");
        var why = $"no per-node metric '{family}.<node>'";
        return ChartPlan.Failed(name, why, MetricLookup.Missing(why, family, v.Families()));
    }

    public override ChartImage? Draw(ExperimentResult result, ExperimentSummary summary, out string why) =>
        Family is null ? Cpu(result, out why) : Values(summary, Family, out why);

    private ChartImage? Values(ExperimentSummary summary, string family, out string why)
    {
        var entities = summary.Points.SelectMany(p => p.Metrics.Keys).Distinct().Order(StringComparer.Ordinal)
            .Where(m => m.StartsWith(family + ".", StringComparison.Ordinal)).Select(m => m[(family.Length + 1)..]).ToList();
        if (entities.Count == 0) { why = $"no run recorded {family}.<node>"; return null; }
        why = "";
        var points = summary.Points.Take(ChartPoints.MaxLines).ToList();
        var groups = points.Select(p => new BarGroup(p.Label,
            entities.Select(e => p.Metrics.TryGetValue($"{family}.{e}", out var m) ? m.Mean : 0).ToArray())).ToList();
        return BarChart.Render(Name, $"{MetricLabels.Title(family)} per node", family, entities, groups,
            $"{family}.<node>, mean over replications." + ChartPoints.Omitted(Math.Max(0, summary.Points.Count - ChartPoints.MaxLines)));
    }

    private ChartImage? Cpu(ExperimentResult result, out string why)
    {
        var points = ChartPoints.Plotted(result.Points, out var omitted).Where(x => x.Point.Replications.Count > 0 && x.Point.Replications[0].Stats.CpuUtilisation.Count > 0).ToList();
        if (points.Count == 0) { why = "the kernel recorded no CPU utilisation"; return null; }
        why = "";
        var first = points[0].Point.Replications[0];
        var count = first.Stats.CpuUtilisation.Count;
        var names = Enumerable.Range(0, count).Select(i => i < first.Nodes.Count ? first.Nodes[i].Name : $"node {i}").ToList();
        var groups = points.Select(x => new BarGroup(x.Label, Enumerable.Range(0, count)
            .Select(i => x.Point.Replications.Where(r => r.Stats.CpuUtilisation.Count > i).Select(r => r.Stats.CpuUtilisation[i]).DefaultIfEmpty(0).Average() * 100).ToArray())).ToList();
        return BarChart.Render(Name, "CPU utilisation per node", "CPU busy (%)", names, groups,
            "Share of virtual time each node spent processing (ChargeCpu), mean over replications." + ChartPoints.Omitted(omitted));
    }
}
