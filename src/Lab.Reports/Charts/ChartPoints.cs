using Lab.Reports.Statistics;

namespace Lab.Reports.Charts;

/// <summary>Which points a chart draws and how it labels them, the same way in every kind.</summary>
public static class ChartPoints
{
    /// <summary>At most this many lines (or groups) per chart; points beyond are left out and the caption says so.</summary>
    public const int MaxLines = 8;

    /// <summary>Points to draw (at most <see cref="MaxLines"/>) with their labels; labels drop the variant when there is only one.</summary>
    public static List<(PointResult Point, string Label)> Plotted(IReadOnlyList<PointResult> points, out int omitted)
    {
        omitted = Math.Max(0, points.Count - MaxLines);
        var oneVariant = points.Select(p => p.Variant).Distinct().Count() == 1;
        return points.Take(MaxLines).Select(p =>
        {
            var parameters = string.Join(", ", p.Parameters.Select(kv => $"{PointSummary.ShortKey(kv.Key)}={kv.Value}"));
            var label = parameters.Length == 0 ? p.Variant : oneVariant ? parameters : $"{p.Variant}, {parameters}";
            return (p, label);
        }).ToList();
    }

    /// <summary>The caption's note on points left out, or nothing.</summary>
    public static string Omitted(int omitted) => omitted > 0 ? $" {omitted} more point(s) not drawn." : "";
}
