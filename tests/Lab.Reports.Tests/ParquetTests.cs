using System.Globalization;
using Lab.Reports.Statistics;
using Lab.Reports.Writers;
using Parquet;

namespace Lab.Reports.Tests;

public class ParquetTests
{
    [Fact]
    public void Parquet_files_hold_exactly_the_rows_of_the_csv_files()
    {
        // A result with faults, findings (a safety violation), samples and series.
        var result = Results.Settlement(20);
        var summary = ExperimentSummary.Of(result);
        var csv = MetricsCsv.Files(result, summary);
        var parquet = MetricsParquet.Files(result, summary);
        Assert.Equal(csv.Keys.Select(k => Path.ChangeExtension(k, ".parquet")), parquet.Keys);
        foreach (var (name, bytes) in parquet)
        {
            var fromParquet = Rows(bytes);
            var fromCsv = CsvRows(csv[Path.ChangeExtension(name, ".csv")]);
            Assert.Equal(fromCsv[0], fromParquet[0]); // column names
            Assert.True(fromCsv.Count > 1 || name is "faults.parquet", $"{name}: the fixture should have rows");
            Assert.Equal(fromCsv, fromParquet);
        }
    }

    [Fact]
    public void Parquet_files_are_byte_identical_for_equal_results_and_differ_otherwise()
    {
        var a = Results.GossipSweep();
        var b = Results.GossipSweep();
        var fa = MetricsParquet.Files(a, ExperimentSummary.Of(a));
        var fb = MetricsParquet.Files(b, ExperimentSummary.Of(b));
        foreach (var k in fa.Keys) Assert.True(fa[k].AsSpan().SequenceEqual(fb[k]), $"{k} differs");
        var c = a with { Points = [a.Points[0] with { Replications = [Results.Gossip(0, 555, 6, 2, 8)] }] };
        Assert.False(fa["scalars.parquet"].AsSpan().SequenceEqual(MetricsParquet.Files(c, ExperimentSummary.Of(c))["scalars.parquet"]));
    }

    /// <summary>Header + rows, every cell as the CSV spells it (numbers round-trip, null as empty).</summary>
    private static List<string[]> Rows(byte[] file) => Task.Run(async () =>
    {
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        var fields = reader.Schema.DataFields;
        using var group = reader.OpenRowGroupReader(0);
        var n = (int)group.RowCount;
        var columns = new List<string[]>();
        foreach (var f in fields)
        {
            if (f.ClrType == typeof(int))
            {
                var values = new int[n];
                await group.ReadAsync<int>(f, values.AsMemory());
                columns.Add(values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray());
            }
            else if (f.ClrType == typeof(double))
            {
                var values = new double?[n];
                await group.ReadAsync<double>(f, values.AsMemory());
                columns.Add(values.Select(v => v is { } d ? RoundTrip.Format(d) ?? "" : "").ToArray());
            }
            else
            {
                var values = new string?[n];
                await group.ReadAsync(f, values.AsMemory());
                columns.Add(values.Select(v => v ?? "").ToArray());
            }
        }
        var rows = new List<string[]> { fields.Select(f => f.Name).ToArray() };
        for (int r = 0; r < n; r++) rows.Add(columns.Select(c => c[r]).ToArray());
        return rows;
    }).GetAwaiter().GetResult();

    private static List<string[]> CsvRows(byte[] file) =>
        WriterTests.Lines(file).Select(l => WriterTests.SplitCsv(l).ToArray()).ToList();
}
