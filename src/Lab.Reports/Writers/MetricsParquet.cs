using Lab.Reports.Statistics;
using Parquet;
using Parquet.Schema;

namespace Lab.Reports.Writers;

/// <summary>
/// Writes <c>metrics/*.parquet</c> beside the CSVs: the same tables, rows and column names as
/// <see cref="MetricsCsv"/> (both write <see cref="TidyRows"/>), typed — <c>run</c>, <c>point</c>,
/// <c>replication</c> as int32, <c>time</c> and <c>value</c> as nullable doubles (a finding's
/// <c>value</c> is its text) — so DuckDB, pandas, Polars or R read them without parsing. One row
/// group per file, Snappy; nothing in the file depends on the clock or the machine, so equal results
/// give equal bytes like the CSVs.
/// </summary>
public static class MetricsParquet
{
    /// <summary>File name → content, in file-name order.</summary>
    public static SortedDictionary<string, byte[]> Files(ExperimentResult result, ExperimentSummary summary)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var table in TidyRows.Tables) files[table + ".parquet"] = Tidy(TidyRows.Of(table, result).ToList(), textValue: table == "findings");
        files["points.parquet"] = Points(summary);
        return files;
    }

    private static readonly DataField<int> Run = new("run"), Point = new("point"), Replication = new("replication"), Replications = new("replications");
    private static readonly DataField<string> Variant = new("variant"), Metric = new("metric"), Parameter = new("parameter"), ParameterValue = new("value");
    private static readonly DataField<double?> Time = new("time"), Value = new("value");
    private static readonly DataField<string> TextValue = new("value");

    private static byte[] Tidy(List<TidyRow> rows, bool textValue)
    {
        var schema = new ParquetSchema(Run, Variant, Point, Replication, Metric, Time, textValue ? TextValue : Value);
        return Write(schema, async g =>
        {
            await g.WriteAsync<int>(Run, new ReadOnlyMemory<int>(rows.Select(r => r.Run).ToArray()));
            await g.WriteAsync(Variant, rows.Select(r => r.Variant).ToArray());
            await g.WriteAsync<int>(Point, new ReadOnlyMemory<int>(rows.Select(r => r.Point).ToArray()));
            await g.WriteAsync<int>(Replication, new ReadOnlyMemory<int>(rows.Select(r => r.Replication).ToArray()));
            await g.WriteAsync(Metric, rows.Select(r => r.Metric).ToArray());
            await g.WriteAsync<double>(Time, new ReadOnlyMemory<double?>(rows.Select(r => r.Time).ToArray()));
            if (textValue) await g.WriteAsync(TextValue, rows.Select(r => r.Text).ToArray());
            else await g.WriteAsync<double>(Value, new ReadOnlyMemory<double?>(rows.Select(r => r.Value).ToArray()));
        });
    }

    private static byte[] Points(ExperimentSummary summary)
    {
        var rows = new List<(int Point, string Variant, int Replications, string Parameter, string Value)>();
        foreach (var p in summary.Points)
        {
            var parameters = p.Parameters.Count > 0 ? p.Parameters : [new KeyValuePair<string, string>("", "")];
            foreach (var (key, value) in parameters) rows.Add((p.Index, p.Variant, p.Replications, key, value));
        }
        var schema = new ParquetSchema(Point, Variant, Replications, Parameter, ParameterValue);
        return Write(schema, async g =>
        {
            await g.WriteAsync<int>(Point, new ReadOnlyMemory<int>(rows.Select(r => r.Point).ToArray()));
            await g.WriteAsync(Variant, rows.Select(r => r.Variant).ToArray());
            await g.WriteAsync<int>(Replications, new ReadOnlyMemory<int>(rows.Select(r => r.Replications).ToArray()));
            await g.WriteAsync(Parameter, rows.Select(r => r.Parameter).ToArray());
            await g.WriteAsync(ParameterValue, rows.Select(r => r.Value).ToArray());
        });
    }

    private static byte[] Write(ParquetSchema schema, Func<ParquetRowGroupWriter, Task> columns)
    {
        // Parquet.Net is async only; these are in-memory streams, so waiting here blocks on no I/O.
        return Task.Run(async () =>
        {
            using var buffer = new MemoryStream();
            await using (var writer = await ParquetWriter.CreateAsync(schema, buffer, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, append: false))
            {
                using var group = writer.CreateRowGroup();
                await columns(group);
            }
            return buffer.ToArray();
        }).GetAwaiter().GetResult();
    }
}
