using CsvHelper;
using Lab.Reports.Statistics;

namespace Lab.Reports.Writers;

/// <summary>
/// Writes <c>metrics/*.csv</c> in tidy long format, one observation per row, with the columns
/// <c>run,variant,point,replication,metric,time,value</c>: <c>run</c> numbers runs 0.. in point then
/// replication order, <c>point</c> is the index into summary.json's <c>points</c> (see points.csv for
/// its parameters), <c>time</c> is virtual seconds (empty where an observation has no time).
/// <list type="bullet">
/// <item><c>series.csv</c>: time = bin start, value = what was summed into [time, time + bin).</item>
/// <item><c>samples.csv</c>: raw samples, time empty; at most <see cref="SamplesPerRun"/> per run and
/// metric, taken evenly spaced in recording order when there are more (summary.json always uses all).</item>
/// <item><c>scalars.csv</c>: the per-run value of every metric in summary.json (a sample metric's run
/// mean), the numbers behind its mean and confidence interval.</item>
/// <item><c>faults.csv</c>: metric = fault description, time = start, value = duration in seconds (empty if it never ended).</item>
/// <item><c>findings.csv</c>: metric = finding kind, time = when, value = its text.</item>
/// <item><c>points.csv</c>: <c>point,variant,replications,parameter,value</c>, one row per sweep parameter.</item>
/// </list>
/// UTF-8 without BOM, "\n" line ends, numbers as <see cref="RoundTrip"/>: equal results give equal bytes.
/// </summary>
public static class MetricsCsv
{
    public const int SamplesPerRun = 10_000;

    private static readonly string[] Columns = ["run", "variant", "point", "replication", "metric", "time", "value"];

    /// <summary>File name → content, in file-name order.</summary>
    public static SortedDictionary<string, byte[]> Files(ExperimentResult result, ExperimentSummary summary)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var table in TidyRows.Tables) files[table + ".csv"] = Tidy(TidyRows.Of(table, result));
        files["points.csv"] = Points(summary);
        return files;
    }

    /// <summary>At most <paramref name="cap"/> values, evenly spaced by index (deterministic, order kept).</summary>
    public static IEnumerable<double> Thin(double[] values, int cap)
    {
        if (values.Length <= cap)
        {
            foreach (var v in values) yield return v;
            yield break;
        }
        for (long i = 0; i < cap; i++) yield return values[(int)(i * values.Length / cap)];
    }

    private static byte[] Tidy(IEnumerable<TidyRow> rows) =>
        Write(csv =>
        {
            csv.WriteRecord(Columns);
            foreach (var r in rows)
            {
                var value = r.Text ?? (r.Value is { } v ? Num(v) : "");
                csv.WriteRecord([RoundTrip.Format(r.Run), r.Variant, RoundTrip.Format(r.Point), RoundTrip.Format(r.Replication),
                    r.Metric, r.Time is { } t ? Num(t) : "", value]);
            }
        });

    private static byte[] Points(ExperimentSummary summary) =>
        Write(csv =>
        {
            csv.WriteRecord(["point", "variant", "replications", "parameter", "value"]);
            foreach (var p in summary.Points)
            {
                var parameters = p.Parameters.Count > 0 ? p.Parameters : [new KeyValuePair<string, string>("", "")];
                foreach (var (key, value) in parameters)
                {
                    csv.WriteRecord([RoundTrip.Format(p.Index), p.Variant, RoundTrip.Format(p.Replications), key, value]);
                }
            }
        });

    private static string Num(double v) => RoundTrip.Format(v) ?? "";

    private static byte[] Write(Action<CsvWriter> body)
    {
        using var buffer = new MemoryStream();
        // RFC 4180 quoting, but "\n" line ends (what pandas, R and git diff expect on Linux); no BOM.
        using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { NewLine = "\n", WriteByteOrderMark = false }, leaveOpen: true))
            body(csv);
        return buffer.ToArray();
    }
}
