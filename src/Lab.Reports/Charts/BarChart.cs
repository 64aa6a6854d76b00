namespace Lab.Reports.Charts;

/// <summary>Grouped bars: one cluster per category (e.g. member), one bar per group (e.g. gross, net).</summary>
public static class BarChart
{
    public static ChartImage Grouped(string name, string title, string yLabel, IReadOnlyList<string> categories,
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
        return ChartCanvas.Export(plot, name, title, caption);
    }
}
