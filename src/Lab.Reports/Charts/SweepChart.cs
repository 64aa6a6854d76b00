namespace Lab.Reports.Charts;

/// <summary>A metric against a sweep axis: one line per variant, with a shaded confidence band where given.</summary>
public static class SweepChart
{
    /// <param name="categories">When the axis is not numeric: the tick labels, and each line's X are their positions (0, 1, …).</param>
    public static ChartImage Build(string name, string title, string xLabel, string yLabel, IReadOnlyList<ChartLine> lines,
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
        return ChartCanvas.Export(plot, name, title, caption);
    }
}
