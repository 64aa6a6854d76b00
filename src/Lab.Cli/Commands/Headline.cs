using Lab.Reports;
using Lab.Reports.Statistics;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary>
/// A glance at the numbers after a run: the scenario's generated opening sentences first (what a teacher
/// reads out), then the report's headline columns (throughput, latency and settlement percentiles,
/// messages, safety) per variant and point. The full statistics are in summary.json.
/// </summary>
public static class Headline
{
    public static void Print(IAnsiConsole c, ExperimentResult result)
    {
        if (result.Points.Count == 0) return;
        foreach (var sentence in result.Opening) c.WriteLine(sentence);
        var summary = ExperimentSummary.Of(result);
        var columns = Lab.Reports.Html.Headline.Columns(result, summary);
        var table = new Table().AddColumn("variant / point");
        foreach (var col in columns) table.AddColumn(new TableColumn(Markup.Escape(col.Title)).RightAligned());
        foreach (var p in summary.Points)
        {
            var cells = new List<string> { Markup.Escape(p.Variant + string.Concat(result.SweepAxes.Select(a => $" {a}={p.Parameter(a)}"))) };
            foreach (var col in columns)
                cells.Add(p.Metrics.TryGetValue(col.Metric, out var m) ? Markup.Escape(MetricLabels.Format(col.Metric, col.Pick(m))) : "—");
            table.AddRow(cells.ToArray());
        }
        c.Write(table);
    }
}
