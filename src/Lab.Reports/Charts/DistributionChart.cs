namespace Lab.Reports.Charts;

/// <summary>Empirical CDFs of one quantity for several groups (variants), on a linear or log time axis.</summary>
public static class DistributionChart
{
    /// <summary>Points drawn per CDF at most (evenly spaced ranks): enough for a smooth curve, small files.</summary>
    public const int MaxPointsPerLine = 2_000;

    /// <param name="logTime">Values are seconds and the x axis is logarithmic (1 s, 1 min, 1 h, 1 d); non-positive values are left out.</param>
    public static ChartImage Cdf(string name, string title, string xLabel, IReadOnlyList<ChartDistribution> groups,
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
        return ChartCanvas.Export(plot, name, title, caption);
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
