using System.Globalization;
using Lab.Reports;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary>
/// A glance at the numbers after a run: per variant and point, the mean over replications of each
/// scalar metric and the median of each sampled one. The full statistics are in summary.json.
/// </summary>
public static class Headline
{
    public static void Print(IAnsiConsole c, ExperimentResult result, int maxColumns = 6)
    {
        var first = result.Points.FirstOrDefault()?.Replications.FirstOrDefault();
        if (first is null) return;
        var scalars = first.Metrics.Scalars.Keys.Where(k => k is not "events_total").ToList();
        var samples = first.Metrics.Samples.Keys.ToList();
        var columns = samples.Select(s => (Name: s + " p50", Sample: true, Key: s)).Concat(scalars.Select(s => (Name: s, Sample: false, Key: s))).Take(maxColumns).ToList();
        var table = new Table().AddColumn("variant / point");
        foreach (var col in columns) table.AddColumn(new TableColumn(Markup.Escape(col.Name)).RightAligned());
        foreach (var p in result.Points)
        {
            var cells = new List<string> { Markup.Escape(p.Variant + string.Concat(p.Parameters.Select(kv => $" {kv.Key}={kv.Value}"))) };
            foreach (var col in columns)
            {
                var values = p.Replications.Select(r => col.Sample
                    ? (r.Metrics.Samples.TryGetValue(col.Key, out var xs) && xs.Length > 0 ? Median(xs) : double.NaN)
                    : r.Metrics.Scalars.GetValueOrDefault(col.Key, double.NaN)).Where(v => !double.IsNaN(v)).ToList();
                cells.Add(values.Count == 0 ? "—" : Format(values.Average()));
            }
            table.AddRow(cells.ToArray());
        }
        c.Write(table);
    }

    private static double Median(double[] xs)
    {
        var sorted = xs.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string Format(double v) =>
        Math.Abs(v) >= 1000 || v == Math.Round(v) ? v.ToString("#,0", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);
}
