using Lab.Reports.Statistics;

namespace Lab.Reports.Charts;

/// <summary>One item on a timeline (e.g. a trade from execution to settlement), in seconds since the run started.</summary>
public sealed record TimelineItem(double StartSeconds, double EndSeconds);

/// <summary>A group of timeline items drawn in one colour (e.g. the trades of one variant).</summary>
public sealed record TimelineGroup(string Label, IReadOnlyList<TimelineItem> Items);

/// <summary>
/// <c>&lt;prefix&gt;-timeline</c>, e.g. <c>trade-timeline</c>: the first <see cref="Items"/> items of the first
/// replication of each variant, from the samples <c>&lt;prefix&gt;_start_s</c> to <c>&lt;prefix&gt;_end_s</c>
/// (recorded in pairs by the same node), as horizontal bars, groups stacked. Both ends carry a dot, so a
/// seconds-long item next to day-long ones is still visible.
/// </summary>
public sealed record TimelineChart(string Name, string Start, string End) : Chart(Name)
{
    /// <summary>The chart names this kind reads.</summary>
    public static readonly IReadOnlyList<string> Patterns = ["<prefix>-timeline"];

    /// <summary>Items drawn per group at most.</summary>
    public const int Items = 30;

    private const string Suffix = "-timeline";

    public override IReadOnlyList<string> Draws => [Start, End];

    /// <summary>This kind's chart for <paramref name="name"/>, or null when the name is not one of its <see cref="Patterns"/>.</summary>
    public static ChartPlan? Parse(string name, ChartVocabulary v)
    {
        if (!name.EndsWith(Suffix, StringComparison.Ordinal)) return null;
        var prefix = name[..^Suffix.Length].Replace('-', '_');
        string start = $"{prefix}_start_s", end = $"{prefix}_end_s";
        foreach (var metric in new[] { start, end })
            if (!v.Has(metric, MetricShape.Samples))
            {
                var why = $"no sample metric '{metric}' (a timeline pairs {start} with {end})";
                return ChartPlan.Failed(name, why, MetricLookup.Missing(why, metric, v.Names(MetricShape.Samples)));
            }
        return ChartPlan.Of(new TimelineChart(name, start, end));
    }

    public override ChartImage? Draw(ExperimentResult result, ExperimentSummary summary, out string why)
    {
        var groups = new List<TimelineGroup>();
        foreach (var variant in result.Points.Select(x => x.Variant).Distinct().Take(ChartPoints.MaxLines))
        {
            // The first replication of the variant's first point: the same seed, so the same trades, in every variant.
            var run = result.Points.First(x => x.Variant == variant).Replications.FirstOrDefault();
            if (run is null || !run.Metrics.Samples.TryGetValue(Start, out var s) || !run.Metrics.Samples.TryGetValue(End, out var e)) continue;
            var items = Enumerable.Range(0, Math.Min(Math.Min(s.Length, e.Length), Items)).Select(i => new TimelineItem(s[i], e[i])).ToList();
            if (items.Count > 0) groups.Add(new TimelineGroup(variant, items));
        }
        if (groups.Count == 0) { why = $"no run recorded paired samples {Start} and {End}"; return null; }
        why = "";
        var prefix = Start[..^"_start_s".Length];
        return Render(Name, $"{MetricLabels.Words(prefix)} timeline", groups,
            $"The first {Items} items of the first replication per variant, from {Start} to {End} (samples recorded in pairs).");
    }

    /// <summary>Draws items as horizontal bars from plain data, one row each, groups stacked.</summary>
    public static ChartImage Render(string name, string title, IReadOnlyList<TimelineGroup> groups, string caption)
    {
        var maxX = groups.SelectMany(g => g.Items).Select(i => Math.Max(i.StartSeconds, i.EndSeconds)).DefaultIfEmpty(0).Max();
        var (unit, unitName) = TimeAxis.LinearUnit(maxX);
        var plot = ChartCanvas.Create(title, $"Virtual time ({unitName})", "");
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var row = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            var color = ChartCanvas.ColorOf(g);
            var first = row;
            foreach (var item in groups[g].Items)
            {
                var bar = plot.Add.Scatter(new[] { item.StartSeconds / unit, item.EndSeconds / unit }, new[] { (double)-row, -row }, color);
                bar.LineWidth = 3;
                bar.MarkerSize = 5;
                if (row == first) bar.LegendText = groups[g].Label;
                row++;
            }
            if (row > first) ticks.AddMajor(-(first + row - 1) / 2.0, groups[g].Label);
            row += 2; // a gap between groups
        }
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        ChartCanvas.LegendIfNeeded(plot, groups.Count);
        return ChartCanvas.Export(plot, name, title, caption, lookAt: "Look at the length of each bar and where bars bunch together: how long an item waits, and whether items of one group all wait for the same moment (a batch, a weekend).");
    }
}
