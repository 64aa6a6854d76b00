namespace Lab.Reports.Charts;

/// <summary>One item on a timeline (e.g. a trade from execution to settlement), in seconds since the run started.</summary>
public sealed record TimelineItem(double StartSeconds, double EndSeconds);

/// <summary>A group of timeline items drawn in one colour (e.g. the trades of one variant).</summary>
public sealed record TimelineGroup(string Label, IReadOnlyList<TimelineItem> Items);

/// <summary>
/// Items as horizontal bars from start to end, one row each, groups stacked (e.g. the same sample of
/// trades under T+1 and on-chain). Both ends carry a dot, so a seconds-long item next to day-long
/// ones is still visible.
/// </summary>
public static class TimelineChart
{
    public static ChartImage Build(string name, string title, IReadOnlyList<TimelineGroup> groups, string caption)
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
        return ChartCanvas.Export(plot, name, title, caption);
    }
}
