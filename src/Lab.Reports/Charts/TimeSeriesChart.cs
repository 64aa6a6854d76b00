using Lab.Reports.Statistics;
using Lab.Sim.Kernel;
using ScottPlot;

namespace Lab.Reports.Charts;

/// <summary>
/// A series over virtual time (throughput, exposure, queue length…), one line per point (mean over its
/// replications), fault windows shaded. Names:
/// <list type="bullet">
/// <item><c>throughput-over-time</c>: the series the model's throughput is derived from
/// (<see cref="RunValues.DerivedRates"/>: <c>committed_tx</c> for <c>throughput_tps</c>), per second.</item>
/// <item><c>&lt;series&gt;-over-time</c>, and <c>exposure</c> for <c>exposure-over-time</c>: the value recorded in each bin.</item>
/// </list>
/// </summary>
/// <param name="Series">The series drawn.</param>
/// <param name="Rate">For a throughput chart, the rate metric the series gives (the y axis is per second); null otherwise.</param>
public sealed record TimeSeriesChart(string Name, string Series, string? Rate) : Chart(Name)
{
    /// <summary>The chart names this kind reads.</summary>
    public static readonly IReadOnlyList<string> Patterns = ["throughput-over-time", "exposure", "<series>-over-time"];

    /// <summary>At most this many points per line (longer series are averaged over runs of bins).</summary>
    public const int MaxPointsPerSeries = 1_500;

    private const string Suffix = "-over-time";

    public override IReadOnlyList<string> Draws => [Series];

    /// <summary>This kind's chart for <paramref name="name"/>, or null when the name is not one of its <see cref="Patterns"/>.</summary>
    public static ChartPlan? Parse(string name, ChartVocabulary v)
    {
        if (name == "throughput-over-time")
        {
            var rate = v.Find(MetricWord.Throughput, MetricShape.Value);
            if (rate.Metric is null) return ChartPlan.Failed(name, rate.Why!, rate);
            var series = RunValues.DerivedRates.Where(d => d.Metric == rate.Metric && v.Has(d.Series, MetricShape.Series)).Select(d => d.Series).FirstOrDefault();
            return series is null
                ? ChartPlan.Failed(name, $"no series gives {rate.Metric} over time (known: {string.Join(", ", RunValues.DerivedRates.Select(d => $"{d.Series} for {d.Metric}"))})")
                : ChartPlan.Of(new TimeSeriesChart(name, series, rate.Metric));
        }
        var word = name == "exposure" ? name : name.EndsWith(Suffix, StringComparison.Ordinal) ? name[..^Suffix.Length] : null;
        if (word is null) return null;
        return ChartPlan.From(name, v.Find(word, MetricShape.Series), series => new TimeSeriesChart(name, series, null));
    }

    public override ChartImage? Draw(ExperimentResult result, ExperimentSummary summary, out string why)
    {
        if (!result.Points.SelectMany(p => p.Replications).Any(r => r.Metrics.Series.ContainsKey(Series)))
        {
            why = $"no run recorded the series {Series}";
            return null;
        }
        why = "";
        var perSecond = Rate is not null;
        var points = ChartPoints.Plotted(result.Points, out var omitted);
        var lines = new List<ChartLine>();
        var faults = new List<ShadedWindow>();
        var binSeconds = 0.0;
        var drawnBin = 0.0;
        foreach (var (point, label) in points)
        {
            var runs = point.Replications.Where(r => r.Metrics.Series.ContainsKey(Series)).ToList();
            if (runs.Count == 0) continue;
            binSeconds = runs[0].Metrics.SeriesBin.TotalSeconds;
            // A bin that starts at or after the run's end holds nothing but looks like a collapse to zero: leave it out.
            int Bins(ReplicationResult r) => (int)Math.Min(r.Metrics.Series[Series].Length, Math.Ceiling(r.Stats.FinalTime.Seconds / binSeconds - 1e-9));
            var length = runs.Max(Bins);
            var xs = new double[length];
            var ys = new double[length];
            for (int i = 0; i < length; i++)
            {
                // Mean over the replications that reached this bin.
                var values = runs.Where(r => Bins(r) > i).Select(r => r.Metrics.Series[Series][i]).ToList();
                xs[i] = i * binSeconds;
                ys[i] = values.Average() / (perSecond && binSeconds > 0 ? binSeconds : 1);
            }
            // A week in 1 s bins is 604,800 points: average runs of bins so a line has at most MaxPointsPerSeries.
            var group = (int)Math.Ceiling(length / (double)MaxPointsPerSeries);
            if (group > 1)
            {
                xs = Enumerable.Range(0, (length + group - 1) / group).Select(j => j * group * binSeconds).ToArray();
                ys = Enumerable.Range(0, xs.Length).Select(j => ys.Skip(j * group).Take(group).Average()).ToArray();
                drawnBin = Math.Max(drawnBin, group * binSeconds);
            }
            lines.Add(new ChartLine(label, xs, ys));
            faults.AddRange(FaultsOf(point.Replications[0].Stats));
        }
        var shaded = faults.DistinctBy(f => (f.StartSeconds, f.EndSeconds, f.Label)).OrderBy(f => f.StartSeconds).ToList();
        var what = perSecond ? $"{Rate}: {Series} per series bin divided by the bin length" : $"{Series}: value recorded in each series bin";
        var caption = $"{what} (bins of {TimeAxis.Humanise(binSeconds)}), mean over each point's replications"
            + (drawnBin > binSeconds ? $", averaged over {TimeAxis.Humanise(drawnBin)} for drawing." : ".")
            + (shaded.Count > 0 ? " Shaded: " + string.Join("; ", shaded.Select(f => $"{f.Label} at {TimeAxis.Humanise(f.StartSeconds)}" + (f.EndSeconds is { } e ? $" until {TimeAxis.Humanise(e)}" : ""))) + "." : "")
            + ChartPoints.Omitted(omitted);
        return perSecond
            ? Render(Name, "Throughput over time", MetricLabels.Title(Rate!), lines, shaded, caption)
            : Render(Name, $"{MetricLabels.Title(Series)} over time", Series, lines, shaded, caption);
    }

    private static IEnumerable<ShadedWindow> FaultsOf(RunStats stats) =>
        stats.Faults.Select(f => new ShadedWindow(f.Start.Seconds, f.End?.Seconds, f.Description));

    /// <summary>What to look at in a chart of this kind.</summary>
    public static string LookAt(bool shaded) => shaded
        ? "Look at the shaded fault windows: how deep each line dips, how soon it recovers, and whether the lines part there."
        : "Look at where the lines part or dip: a variant that falls below the others, or a level that drifts over the run.";

    /// <summary>Draws lines over virtual time from plain data.</summary>
    /// <param name="lines">X in seconds since the run started.</param>
    /// <param name="shaded">Windows to shade (e.g. faults), in seconds; drawn behind the lines.</param>
    public static ChartImage Render(string name, string title, string yLabel, IReadOnlyList<ChartLine> lines,
        IReadOnlyList<ShadedWindow> shaded, string caption)
    {
        var maxX = lines.SelectMany(l => l.X).DefaultIfEmpty(0).Max();
        maxX = Math.Max(maxX, shaded.Select(w => w.EndSeconds ?? w.StartSeconds).DefaultIfEmpty(0).Max());
        var (unit, unitName) = TimeAxis.LinearUnit(maxX);
        var plot = ChartCanvas.Create(title, $"Virtual time ({unitName})", yLabel);

        // Runs of different sizes report the same fault window with different node lists: shade each window once.
        var windows = shaded.GroupBy(w => (w.StartSeconds, w.EndSeconds)).Select(g => g.Key).ToList();
        for (int i = 0; i < windows.Count; i++)
        {
            var (start, endOrNull) = windows[i];
            var end = endOrNull ?? maxX;
            // ScottPlot's HorizontalSpan covers an x range. A fault without an end lasts to the edge of the chart;
            // a zero-length one still gets a visible sliver.
            var span = plot.Add.HorizontalSpan(start / unit, Math.Max(end, start + maxX / 500) / unit);
            span.FillStyle.Color = Colors.Red.WithAlpha(0.12);
            span.LineStyle.Width = 0;
            if (i == 0) span.LegendText = "fault window";
        }

        for (int i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var xs = l.X.Select(x => x / unit).ToArray();
            var color = ChartCanvas.ColorOf(i);
            if (l.Low is { } low && l.High is { } high)
            {
                var band = plot.Add.FillY(xs, low, high);
                band.FillStyle.Color = color.WithAlpha(0.2);
                band.LineStyle.Width = 0;
            }
            var line = plot.Add.ScatterLine(xs, l.Y, color);
            line.LineWidth = 2;
            line.LegendText = l.Label;
        }
        // Rates and levels read against zero: a dip to 60% must not look like a dip to nothing.
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        if (limits.Bottom > 0 || limits.Bottom < 0 && lines.All(l => l.Y.All(y => y >= 0)))
            plot.Axes.SetLimitsY(0, limits.Top);
        if (maxX > 0) plot.Axes.SetLimitsX(0, maxX / unit); // time starts at the start of the run
        ChartCanvas.LegendIfNeeded(plot, lines.Count + (windows.Count > 0 ? 1 : 0));
        var data = new ChartData("Virtual time", yLabel, XSeconds: true, XLog: false, XCanLog: false,
            YCanLog: lines.SelectMany(l => l.Y).Any(y => y > 0), YFromZero: true, lines, shaded);
        return ChartCanvas.Export(plot, name, title, caption, data, LookAt(shaded.Count > 0));
    }
}
