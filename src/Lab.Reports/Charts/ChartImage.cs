namespace Lab.Reports.Charts;

/// <summary>
/// A rendered chart: its file name stem (<c>charts/{Name}.png|svg</c>), what it shows, both renderings,
/// and, for the kinds the report can redraw interactively, the plain data behind it (<see cref="Data"/>).
/// </summary>
/// <param name="LookAt">One sentence on what to look at in the chart (shown in the report's caption).</param>
public sealed record ChartImage(string Name, string Title, string Caption, byte[] Png, string Svg,
    ChartData? Data = null, string LookAt = "");

/// <summary>
/// The numbers of a line chart, for the report's interactive copy (hover values, zoom, legend toggles,
/// log/linear switch). Lines keep their own x values; the page aligns them.
/// </summary>
/// <param name="XSeconds">X values are seconds (ticks and hover values read "2 h 5 min"), else plain numbers.</param>
/// <param name="XLog">The x axis starts logarithmic (as the static chart); <see cref="XCanLog"/> says whether the reader may switch.</param>
/// <param name="Categories">When x is not numeric: the tick labels, and each line's X are their positions (0, 1, …).</param>
/// <param name="YFromZero">The y axis starts at zero in linear mode (rates and levels read against zero).</param>
public sealed record ChartData(string XLabel, string YLabel, bool XSeconds, bool XLog, bool XCanLog, bool YCanLog,
    bool YFromZero, IReadOnlyList<ChartLine> Lines, IReadOnlyList<ShadedWindow> Shaded, IReadOnlyList<string>? Categories = null)
{
    /// <summary>At most this many points per line in the interactive copy (longer lines are thinned, keeping each stretch's first, min and max).</summary>
    public const int MaxPointsPerLine = 1_000;

    /// <summary>Whether every finite value is positive (a log axis can show them all).</summary>
    public static bool AllPositive(IEnumerable<double> values) => values.Where(double.IsFinite).All(v => v > 0) && values.Any(double.IsFinite);
}
