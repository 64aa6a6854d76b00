using ScottPlot;

namespace Lab.Reports.Charts;

/// <summary>A quantity over virtual time (throughput, exposure, queue length…), with fault windows shaded.</summary>
public static class TimeSeriesChart
{
    /// <param name="lines">X in seconds since the run started.</param>
    /// <param name="shaded">Windows to shade (e.g. faults), in seconds; drawn behind the lines.</param>
    public static ChartImage Build(string name, string title, string yLabel, IReadOnlyList<ChartLine> lines,
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
        return ChartCanvas.Export(plot, name, title, caption);
    }
}
