using System.Text;
using Lab.Reports.Charts;
using Lab.Reports.Html;
using Lab.Reports.Statistics;
using Lab.Reports.Writers;

namespace Lab.Reports;

/// <summary>
/// Writes an experiment's analysis files into a run folder: <c>summary.json</c>,
/// <c>metrics/*.csv</c> and <c>*.parquet</c>, <c>charts/*.png|svg</c> and <c>report.html</c>.
/// <c>summary.json</c> and <c>metrics/</c> depend only on the result (byte-identical for equal results).
/// </summary>
public static class ReportWriter
{
    /// <param name="folder">An existing, empty folder (the caller renames it into place when complete).</param>
    /// <param name="provenance">Lines for the report's provenance section (lab version, commit, machine, times).</param>
    public static void WriteAll(ExperimentResult result, string folder, IReadOnlyList<KeyValuePair<string, string>> provenance) =>
        Write(result, folder, provenance);

    /// <summary>Like <see cref="WriteAll"/>, and tells which charts were drawn and which were skipped (with why).</summary>
    public static ReportOutcome Write(ExperimentResult result, string folder, IReadOnlyList<KeyValuePair<string, string>> provenance)
    {
        var summary = ExperimentSummary.Of(result);
        // The tables and the charts are independent (both only read the result): the runs are over and the cores idle,
        // so summary.json and metrics/ are written on another thread while the charts are drawn here.
        var tables = Task.Run(() => WriteTables(result, summary, folder));
        ChartSet charts;
        try
        {
            charts = ChartCatalog.Build(result, summary);
            var chartFolder = Directory.CreateDirectory(Path.Combine(folder, "charts")).FullName;
            foreach (var c in charts.Charts)
            {
                File.WriteAllBytes(Path.Combine(chartFolder, c.Name + ".png"), c.Png);
                File.WriteAllText(Path.Combine(chartFolder, c.Name + ".svg"), c.Svg, new UTF8Encoding(false));
            }
            File.WriteAllText(Path.Combine(folder, "report.html"), HtmlReport.Render(result, summary, charts, provenance), new UTF8Encoding(false));
        }
        catch
        {
            // Nothing may still be writing into the folder when the caller cleans it up.
            try { tables.Wait(); }
            catch (AggregateException) { }
            throw;
        }
        tables.GetAwaiter().GetResult();
        return new ReportOutcome(summary, charts.Charts.Select(c => c.Name).ToList(), charts.Skipped);
    }

    /// <summary>
    /// Builds everything <see cref="Write"/> would (statistics, tables, charts, the HTML report) from
    /// <paramref name="result"/> in memory and keeps nothing. Run on an idle core while the last runs finish, with the
    /// points finished so far, it compiles and loads the report code (a third of the report's time is the JIT) before the
    /// real report needs it.
    /// </summary>
    public static void Rehearse(ExperimentResult result)
    {
        var summary = ExperimentSummary.Of(result);
        SummaryJson.Serialize(summary);
        foreach (var _ in MetricsCsv.Files(result, summary).Concat(MetricsParquet.Files(result, summary))) { }
        HtmlReport.Render(result, summary, ChartCatalog.Build(result, summary), []);
    }

    /// <summary><c>summary.json</c> and <c>metrics/</c>: the files that depend only on the result.</summary>
    private static void WriteTables(ExperimentResult result, ExperimentSummary summary, string folder)
    {
        File.WriteAllBytes(Path.Combine(folder, "summary.json"), SummaryJson.Serialize(summary));
        var metrics = Directory.CreateDirectory(Path.Combine(folder, "metrics")).FullName;
        foreach (var (name, bytes) in MetricsCsv.Files(result, summary).Concat(MetricsParquet.Files(result, summary)))
            File.WriteAllBytes(Path.Combine(metrics, name), bytes);
    }
}

/// <summary>What <see cref="ReportWriter.Write"/> produced: the statistics, the chart names drawn, and the charts skipped with their reason.</summary>
public sealed record ReportOutcome(ExperimentSummary Summary, IReadOnlyList<string> Charts, IReadOnlyList<string> SkippedCharts);
