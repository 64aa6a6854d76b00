using System.Globalization;
using System.Text.RegularExpressions;
using Lab.Reports.Statistics;

namespace Lab.Reports.Charts;

/// <summary>
/// A metric against a sweep axis, <c>&lt;metric&gt;[-p50|-p90|-p99|-max|-mean]-vs-&lt;axis&gt;</c>, e.g.
/// <c>throughput-vs-nodes</c>, <c>latency-p99-vs-nodes</c>: one line per variant (and combination of the
/// other axes), with a 95% confidence band for means. Percentiles and max are over all pooled samples of a
/// sample metric, over per-run values otherwise.
/// </summary>
/// <param name="Statistic">mean, p50, p90, p99 or max.</param>
/// <param name="Axis">The sweep key, e.g. <c>chain.nodes</c>.</param>
public sealed partial record SweepChart(string Name, string Metric, string Statistic, string Axis) : Chart(Name)
{
    /// <summary>The chart names this kind reads.</summary>
    public static readonly IReadOnlyList<string> Patterns = ["<metric>[-p50|-p90|-p99|-max|-mean]-vs-<axis>"];

    /// <summary>The statistics a sweep chart can draw, as written in its name.</summary>
    public static readonly IReadOnlyList<string> Statistics = ["mean", "p50", "p90", "p99", "max"];

    private const string Versus = "-vs-";

    public override IReadOnlyList<string> Draws => [Metric];

    /// <summary>This kind's chart for <paramref name="name"/>, or null when the name is not one of its <see cref="Patterns"/>.</summary>
    public static ChartPlan? Parse(string name, ChartVocabulary v)
    {
        var vs = name.IndexOf(Versus, StringComparison.Ordinal);
        if (vs <= 0) return null;
        var (word, axisWord) = (name[..vs], name[(vs + Versus.Length)..]);
        var stat = Statistics.FirstOrDefault(s => word.EndsWith("-" + s, StringComparison.Ordinal)) ?? "mean";
        if (word.EndsWith("-" + stat, StringComparison.Ordinal)) word = word[..^(stat.Length + 1)];
        if (v.SweepAxes.Count == 0) return ChartPlan.Failed(name, "the experiment has no sweep");
        if (v.Axis(axisWord) is not { } axis) return ChartPlan.Failed(name, $"no sweep axis '{axisWord}' (axes: {string.Join(", ", v.SweepAxes)})");
        // A percentile reads pooled samples when the metric has them, per-run values otherwise.
        var lookup = stat == "mean" ? v.Find(word, MetricShape.Value) : Either(v.Find(word, MetricShape.Samples), () => v.Find(word, MetricShape.Value));
        return ChartPlan.From(name, lookup, m => new SweepChart(name, m, stat, axis));
    }

    private static MetricLookup Either(MetricLookup first, Func<MetricLookup> second) => first.Metric is not null ? first : second();

    public override ChartImage? Draw(ExperimentResult result, ExperimentSummary summary, out string why)
    {
        var values = summary.Points.Select(p => p.Parameter(Axis)).OfType<string>().Distinct().ToList();
        if (!summary.Points.Any(p => p.Metrics.ContainsKey(Metric))) { why = $"no run recorded {Metric}"; return null; }
        if (values.Count < 2) { why = $"the sweep over {Axis} has fewer than two values"; return null; }
        why = "";

        var numeric = values.Select(ParseLeadingNumber).ToList();
        // Numeric only when every value has the same unit after its number ("250ms" and "1s" do not compare as 250 and 1).
        var units = values.Select(v => v.Trim()[LeadingNumber().Match(v.Trim()).Length..].Trim()).Distinct().Count();
        var isNumeric = units == 1 && numeric.All(v => v is not null) && numeric.Distinct().Count() == numeric.Count;
        var order = isNumeric ? values.OrderBy(v => ParseLeadingNumber(v)!.Value).ToList() : values;
        double Position(string v) => isNumeric ? ParseLeadingNumber(v)!.Value : order.IndexOf(v);

        // One line per variant and per combination of the other axes.
        var groups = summary.Points
            .Where(p => p.Metrics.ContainsKey(Metric) && p.Parameter(Axis) is not null)
            .GroupBy(p => p.Variant + string.Concat(p.Parameters.Where(kv => kv.Key != Axis).Select(kv => $", {PointSummary.ShortKey(kv.Key)}={kv.Value}")))
            .ToList();
        var lines = new List<ChartLine>();
        foreach (var g in groups.Take(ChartPoints.MaxLines))
        {
            var pts = g.OrderBy(p => Position(p.Parameter(Axis)!)).ToList();
            var xs = pts.Select(p => Position(p.Parameter(Axis)!)).ToArray();
            var ms = pts.Select(p => p.Metrics[Metric]).ToList();
            var ys = ms.Select(Pick).ToArray();
            lines.Add(Statistic == "mean"
                ? new ChartLine(g.Key, xs, ys, ms.Select(m => m.Ci95Low).ToArray(), ms.Select(m => m.Ci95High).ToArray())
                : new ChartLine(g.Key, xs, ys));
        }
        var title = $"{MetricLabels.Words(Metric)} ({Statistic}) vs {PointSummary.ShortKey(Axis)}";
        var caption = $"{Metric}, {Statistic} per point"
            + (Statistic == "mean" ? ", shaded: 95% confidence interval across replications (Student t)." : ", over all pooled samples.")
            + ChartPoints.Omitted(Math.Max(0, groups.Count - ChartPoints.MaxLines));
        return Render(Name, title, Axis, $"{Metric} ({Statistic})", lines, isNumeric ? null : order, caption);
    }

    private double Pick(MetricSummary m) => Statistic switch
    {
        "p50" => m.P50,
        "p90" => m.P90,
        "p99" => m.P99,
        "max" => m.Max,
        _ => m.Mean,
    };

    [GeneratedRegex(@"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingNumber();

    /// <summary>"16" → 16, "2000/s" → 2000, "250ms" → 250; null when the text does not start with a number.</summary>
    private static double? ParseLeadingNumber(string text)
    {
        var m = LeadingNumber().Match(text.Trim());
        return m.Success && double.TryParse(m.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>What to look at in a chart of this kind.</summary>
    public const string LookAt = "Look at where a line bends: the setting beyond which the number stops improving or starts to degrade, and where the variants cross.";

    /// <summary>Draws lines against a sweep axis from plain data, with a shaded band where a line has one.</summary>
    /// <param name="categories">When the axis is not numeric: the tick labels, and each line's X are their positions (0, 1, …).</param>
    public static ChartImage Render(string name, string title, string xLabel, string yLabel, IReadOnlyList<ChartLine> lines,
        IReadOnlyList<string>? categories, string caption)
    {
        var plot = ChartCanvas.Create(title, xLabel, yLabel);
        for (int i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var color = ChartCanvas.ColorOf(i);
            if (l.Low is { } low && l.High is { } high && l.X.Length > 1)
            {
                var band = plot.Add.FillY(l.X, low, high);
                band.FillStyle.Color = color.WithAlpha(0.2);
                band.LineStyle.Width = 0;
            }
            var line = plot.Add.Scatter(l.X, l.Y, color);
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LegendText = l.Label;
        }
        if (categories is not null)
        {
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            for (int i = 0; i < categories.Count; i++) ticks.AddMajor(i, categories[i]);
            plot.Axes.Bottom.TickGenerator = ticks;
            plot.Axes.SetLimitsX(-0.5, categories.Count - 0.5);
        }
        ChartCanvas.LegendIfNeeded(plot, lines.Count);
        var data = new ChartData(xLabel, yLabel, XSeconds: false, XLog: false,
            XCanLog: categories is null && ChartData.AllPositive(lines.SelectMany(l => l.X)),
            YCanLog: ChartData.AllPositive(lines.SelectMany(l => l.Y)), YFromZero: false, lines, [], categories);
        return ChartCanvas.Export(plot, name, title, caption, data, LookAt);
    }
}
