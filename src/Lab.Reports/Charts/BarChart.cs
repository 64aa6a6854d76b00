using Lab.Reports.Statistics;

namespace Lab.Reports.Charts;

/// <summary>
/// Bars of every per-run value whose name starts with a prefix, <c>&lt;prefix&gt;-bars</c> (and <c>liquidity</c>
/// for <c>liquidity-bars</c>): with per-member values (<c>liquidity_needed_cny.m01</c>) one cluster per member
/// and one bar per metric and variant (the variant's first point); otherwise one cluster per point and one
/// bar per metric (<c>fail-rate-bars</c>: <c>fail_rate</c>, <c>fail_rate_value</c>, …). The metrics drawn are
/// listed in the caption.
/// </summary>
/// <param name="Metrics">The metrics under the prefix, in ordinal order.</param>
public sealed record BarChart(string Name, string Prefix, IReadOnlyList<string> Metrics) : Chart(Name)
{
    /// <summary>The chart names this kind reads.</summary>
    public static readonly IReadOnlyList<string> Patterns = ["liquidity", "<prefix>-bars"];

    private const string Suffix = "-bars";

    public override IReadOnlyList<string> Draws => Metrics;

    /// <summary>This kind's chart for <paramref name="name"/>, or null when the name is not one of its <see cref="Patterns"/>.</summary>
    public static ChartPlan? Parse(string name, ChartVocabulary v)
    {
        var word = name == "liquidity" ? name : name.EndsWith(Suffix, StringComparison.Ordinal) ? name[..^Suffix.Length] : null;
        if (word is null) return null;
        var prefix = word.Replace('-', '_');
        var metrics = v.WithPrefix(prefix);
        if (metrics.Count > 0) return ChartPlan.Of(new BarChart(name, prefix, metrics));
        var why = $"no metric starting with '{prefix}'";
        return ChartPlan.Failed(name, why, MetricLookup.Missing(why, prefix, v.Names(MetricShape.Value)));
    }

    public override ChartImage? Draw(ExperimentResult result, ExperimentSummary summary, out string why)
    {
        var recorded = summary.Points.SelectMany(p => p.Metrics.Keys).ToHashSet(StringComparer.Ordinal);
        var metrics = Metrics.Where(recorded.Contains).ToList();
        if (metrics.Count == 0) { why = $"no run recorded {string.Join(", ", Metrics)}"; return null; }
        why = "";
        var perEntity = metrics.Where(m => m.Contains('.')).ToList();
        var title = MetricLabels.Title(Prefix);
        if (perEntity.Count > 0)
        {
            // Categories are the entities (members), groups are the base metrics (gross, net) per variant.
            var bases = perEntity.Select(m => m[..m.IndexOf('.')]).Distinct().ToList();
            var entities = perEntity.Select(m => m[(m.IndexOf('.') + 1)..]).Distinct().ToList();
            var variants = summary.Points.Select(x => x.Variant).Distinct().ToList();
            var groups = new List<BarGroup>();
            foreach (var variant in variants)
            {
                var point = summary.Points.First(x => x.Variant == variant);
                foreach (var b in bases)
                    if (entities.Any(e => point.Metrics.ContainsKey($"{b}.{e}")))
                        groups.Add(new BarGroup(variants.Count > 1 ? $"{variant}: {b}" : b,
                            entities.Select(e => point.Metrics.TryGetValue($"{b}.{e}", out var m) ? m.Mean : 0).ToArray()));
            }
            return Render(Name, $"{title} per member", Prefix, entities, groups.Take(ChartPoints.MaxLines).ToList(),
                $"{string.Join(", ", bases)} per member (<metric>.<member>), mean over replications; first sweep point of each variant."
                + ChartPoints.Omitted(Math.Max(0, groups.Count - ChartPoints.MaxLines)));
        }
        var points = summary.Points.Take(ChartPoints.MaxLines).ToList();
        var barGroups = metrics.Select(m => new BarGroup(m, points.Select(x => x.Metrics.TryGetValue(m, out var s) ? s.Mean : 0).ToArray())).ToList();
        return Render(Name, title, Prefix, points.Select(x => x.Label).ToList(), barGroups.Take(ChartPoints.MaxLines).ToList(),
            $"{string.Join(", ", metrics)}, mean over replications." + ChartPoints.Omitted(Math.Max(0, summary.Points.Count - ChartPoints.MaxLines)));
    }

    /// <summary>Draws grouped bars from plain data: one cluster per category (e.g. member), one bar per group (e.g. gross, net).</summary>
    public static ChartImage Render(string name, string title, string yLabel, IReadOnlyList<string> categories,
        IReadOnlyList<BarGroup> groups, string caption)
    {
        var plot = ChartCanvas.Create(title, "", yLabel);
        var width = groups.Count + 1; // one empty slot between clusters
        for (int g = 0; g < groups.Count; g++)
        {
            var positions = Enumerable.Range(0, categories.Count).Select(c => (double)(c * width + g)).ToArray();
            var bars = plot.Add.Bars(positions, groups[g].Values);
            bars.Color = ChartCanvas.ColorOf(g);
            bars.LegendText = groups[g].Label;
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int c = 0; c < categories.Count; c++) ticks.AddMajor(c * width + (groups.Count - 1) / 2.0, categories[c]);
        plot.Axes.Bottom.TickGenerator = ticks;
        if (categories.Count > 8)
        {
            // Many members: slanted labels so they do not overlap.
            plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
            // Room below the axis for the slanted names (ScottPlot does not size the panel for rotated text).
            var longest = categories.Max(c => c.Length);
            plot.Axes.Bottom.MinimumSize = (float)(16 + 0.72 * longest * plot.Axes.Bottom.TickLabelStyle.FontSize);
        }
        plot.Axes.Margins(bottom: 0);
        ChartCanvas.LegendIfNeeded(plot, groups.Count);
        return ChartCanvas.Export(plot, name, title, caption, lookAt: "Look at the tallest bars and how each group differs from the others (e.g. gross against net per member).");
    }
}
