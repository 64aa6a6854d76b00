using Lab.Reports.Statistics;

namespace Lab.Reports.Charts;

/// <summary>
/// Empirical CDFs of one sample metric, one line per variant (per point in a sweep), all samples of all
/// replications pooled per line. Names:
/// <list type="bullet">
/// <item><c>&lt;metric&gt;-cdf</c>, e.g. <c>latency-cdf</c> (the model's latency), <c>pow-block-arrival-s-cdf</c>;
/// a time axis turns logarithmic when the values span three decades.</item>
/// <item><c>settlement-time</c>: <c>settlement_time_s</c> on a log time axis (1 s … 1 d).</item>
/// </list>
/// </summary>
/// <param name="LogTime">True: values are seconds on a log axis; null: log when the values span three decades.</param>
public sealed record DistributionChart(string Name, string Metric, bool? LogTime) : Chart(Name)
{
    /// <summary>The chart names this kind reads.</summary>
    public static readonly IReadOnlyList<string> Patterns = ["latency-cdf", "settlement-time", "<metric>-cdf"];

    /// <summary>Points drawn per CDF at most (evenly spaced ranks): enough for a smooth curve, small files.</summary>
    public const int MaxPointsPerLine = 2_000;

    private const string Suffix = "-cdf";

    public override IReadOnlyList<string> Draws => [Metric];

    /// <summary>This kind's chart for <paramref name="name"/>, or null when the name is not one of its <see cref="Patterns"/>.</summary>
    public static ChartPlan? Parse(string name, ChartVocabulary v)
    {
        if (name == "settlement-time")
            return ChartPlan.From(name, v.Find(name, MetricShape.Samples), m => new DistributionChart(name, m, LogTime: true));
        if (!name.EndsWith(Suffix, StringComparison.Ordinal)) return null;
        return ChartPlan.From(name, v.Find(name[..^Suffix.Length], MetricShape.Samples), m => new DistributionChart(name, m, LogTime: null));
    }

    public override ChartImage? Draw(ExperimentResult result, ExperimentSummary summary, out string why)
    {
        if (!summary.Points.Any(p => p.SampleMetrics.Contains(Metric)))
        {
            why = $"no run recorded samples of {Metric}";
            return null;
        }
        why = "";
        var groups = new List<ChartDistribution>();
        // One line per variant when there is no sweep; per point otherwise.
        var omitted = 0;
        if (result.SweepAxes.Count == 0)
        {
            foreach (var variant in result.Points.Select(p => p.Variant).Distinct())
                groups.Add(new ChartDistribution(variant, PooledSamples(result.Points.Where(p => p.Variant == variant))));
            omitted = Math.Max(0, groups.Count - ChartPoints.MaxLines);
            groups = groups.Take(ChartPoints.MaxLines).ToList();
        }
        else
            foreach (var (point, label) in ChartPoints.Plotted(result.Points, out omitted))
                groups.Add(new ChartDistribution(label, PooledSamples([point])));
        groups = groups.Where(g => g.Values.Count > 0).ToList();

        var all = groups.SelectMany(g => g.Values).Where(v => v > 0).ToList();
        var isTime = MetricLabels.IsSeconds(Metric);
        // Long-tailed times (max ≥ 1000 × min) read better on a log axis.
        var log = LogTime ?? (isTime && all.Count > 0 && all.Max() >= 1000 * all.Min());
        string xLabel;
        if (log) xLabel = $"{MetricLabels.Words(Metric)} (log scale)";
        else if (isTime)
        {
            var (unit, unitName) = TimeAxis.LinearUnit(all.DefaultIfEmpty(0).Max());
            groups = groups.Select(g => new ChartDistribution(g.Label, g.Values.Select(v => v / unit).ToList())).ToList();
            xLabel = $"{MetricLabels.Words(Metric)} ({unitName})";
        }
        else xLabel = Metric;
        // A named distribution (settlement-time) is titled by its quantity alone.
        var title = LogTime == true ? MetricLabels.Words(Metric) : $"{MetricLabels.Words(Metric)}: cumulative distribution";
        var caption = $"Empirical CDF of {Metric}, all samples of all replications pooled per line"
            + (log ? "; logarithmic time axis." : ".") + ChartPoints.Omitted(omitted);
        return Render(Name, title, xLabel, groups, log, caption);
    }

    private List<double> PooledSamples(IEnumerable<PointResult> points) =>
        points.SelectMany(p => p.Replications)
            .SelectMany(r => r.Metrics.Samples.TryGetValue(Metric, out var s) ? s : []).ToList();

    /// <summary>What to look at in a chart of this kind.</summary>
    public const string LookAt = "Look at where each line crosses 0.5 (the median) and how far right it runs before reaching 1 (the slowest items): a line further left is faster.";

    /// <summary>Draws one CDF per group from plain data.</summary>
    /// <param name="logTime">Values are seconds and the x axis is logarithmic (1 s, 1 min, 1 h, 1 d); non-positive values are left out.</param>
    public static ChartImage Render(string name, string title, string xLabel, IReadOnlyList<ChartDistribution> groups,
        bool logTime, string caption)
    {
        var plot = ChartCanvas.Create(title, xLabel, "Fraction of observations ≤ x");
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < groups.Count; i++)
        {
            var sorted = groups[i].Values.Where(v => double.IsFinite(v) && (!logTime || v > 0)).ToArray();
            if (sorted.Length == 0) continue;
            Array.Sort(sorted);
            min = Math.Min(min, sorted[0]);
            max = Math.Max(max, sorted[^1]);
            var (xs, ys) = Steps(sorted);
            if (logTime) xs = xs.Select(Math.Log10).ToArray();
            var line = plot.Add.ScatterLine(xs, ys, ChartCanvas.ColorOf(i));
            line.LineWidth = 2;
            line.LegendText = groups[i].Label;
        }
        if (logTime && double.IsFinite(min)) TimeAxis.ApplyLog(plot, plot.Axes.Bottom, min, max);
        plot.Axes.SetLimitsY(0, 1.02);
        ChartCanvas.LegendIfNeeded(plot, groups.Count);
        if (groups.Count > 1) plot.Legend.Alignment = ScottPlot.Alignment.LowerRight;
        var lines = new List<ChartLine>();
        foreach (var g in groups)
        {
            var sorted = g.Values.Where(v => double.IsFinite(v) && (!logTime || v > 0)).ToArray();
            Array.Sort(sorted);
            var (xs, ys) = Steps(sorted);
            lines.Add(new ChartLine(g.Label, xs, ys));
        }
        var data = new ChartData(xLabel, "Fraction of observations ≤ x", XSeconds: logTime, XLog: logTime,
            XCanLog: ChartData.AllPositive(lines.SelectMany(l => l.X)), YCanLog: false, YFromZero: true, lines, []);
        return ChartCanvas.Export(plot, name, title, caption, data, LookAt);
    }

    /// <summary>(value, rank / n) at up to <see cref="MaxPointsPerLine"/> evenly spaced ranks, first and last included.</summary>
    public static (double[] X, double[] Y) Steps(double[] sortedAscending)
    {
        var n = sortedAscending.Length;
        var m = Math.Min(n, MaxPointsPerLine);
        var xs = new double[m];
        var ys = new double[m];
        for (int k = 0; k < m; k++)
        {
            var idx = m == 1 ? n - 1 : (int)((long)k * (n - 1) / (m - 1));
            xs[k] = sortedAscending[idx];
            ys[k] = (idx + 1) / (double)n;
        }
        return (xs, ys);
    }
}
