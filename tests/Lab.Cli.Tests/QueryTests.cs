using System.Text.Json;
using Lab.Cli;
using Spectre.Console;

namespace Lab.Cli.Tests;

/// <summary><c>lab query</c> over real results folders (the real report writer: Parquet and CSV).</summary>
public class QueryTests : IClassFixture<QueryTests.TwoFolders>
{
    /// <summary>One gossip run written with Parquet, and a copy with the Parquet files removed (a folder from before them).</summary>
    public sealed class TwoFolders
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("lab-query").FullName;
        public string WithParquet { get; }
        public string CsvOnly { get; }

        public TwoFolders()
        {
            var (code, _, err) = Lab("run", Path.Combine(CliTests.Root(), "scenarios", "demo", "gossip.yaml"), "--out", Root, "--quiet");
            Assert.True(code == ExitCode.Ok, err);
            WithParquet = Directory.GetDirectories(Path.Combine(Root, "gossip-partition")).Single();
            CsvOnly = Path.Combine(Root, "older", "20200101-000000-seed1");
            Directory.CreateDirectory(Path.Combine(CsvOnly, "metrics"));
            File.Copy(Path.Combine(WithParquet, "summary.json"), Path.Combine(CsvOnly, "summary.json"));
            foreach (var f in Directory.GetFiles(Path.Combine(WithParquet, "metrics"), "*.csv"))
                File.Copy(f, Path.Combine(CsvOnly, "metrics", Path.GetFileName(f)));
        }
    }

    private readonly TwoFolders folders;
    public QueryTests(TwoFolders folders) => this.folders = folders;

    private static IAnsiConsole Console(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(w), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
    });

    private static (int Code, string Out, string Err) Lab(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = new CliApp(Console(o), Console(e), interactive: false).Run(args);
        return (code, o.ToString(), e.ToString());
    }

    private (int Code, string Out, string Err) Query(params string[] args) => Lab(["query", "--results", folders.Root, .. args]);

    [Fact]
    public void Every_folder_is_catalogued_from_parquet_or_from_its_csvs_alike()
    {
        var (code, output, err) = Query("select experiment, count(*) as n, sum(value) as total from metrics group by all order by experiment", "--csv");
        Assert.True(code == ExitCode.Ok, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("experiment,n,total", lines[0]);
        var scalars = File.ReadLines(Path.Combine(folders.WithParquet, "metrics", "scalars.csv")).Count() - 1;
        Assert.True(scalars > 10);
        // Same rows and the same sum, whether read from Parquet (gossip-partition) or from the CSVs (older).
        Assert.Equal(2, lines.Length - 1);
        var (a, b) = (lines[1].Split(','), lines[2].Split(','));
        Assert.Equal(("gossip-partition", "older"), (a[0], b[0]));
        Assert.Equal(scalars.ToString(), a[1]);
        Assert.Equal(a[1..], b[1..]);
    }

    [Fact]
    public void The_readme_query_runs_and_json_keeps_numbers_as_numbers()
    {
        var (code, output, err) = Query("select experiment, variant, avg(value) as mean from metrics where metric = 'messages_total' group by all order by experiment", "--json");
        Assert.True(code == ExitCode.Ok, err);
        var rows = JsonDocument.Parse(output).RootElement;
        Assert.Equal(2, rows.GetArrayLength());
        Assert.Equal(JsonValueKind.Number, rows[0].GetProperty("mean").ValueKind);
        Assert.True(rows[0].GetProperty("mean").GetDouble() > 0);
    }

    [Fact]
    public void Experiments_points_series_and_findings_tables_join_on_experiment_and_run_id()
    {
        var (code, output, err) = Query(
            "select e.status, e.seed, count(distinct s.run) as runs, max(s.time) as last_bin from experiments e join series s using (experiment, run_id) where e.experiment = 'gossip-partition' group by all", "--csv");
        Assert.True(code == ExitCode.Ok, err);
        var row = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(',');
        Assert.Equal("complete", row[0]);
        Assert.Equal("1", row[1]);
        Assert.Equal("3", row[2]); // gossip.yaml runs three replications
        Assert.Equal(ExitCode.Ok, Query("select * from points, faults, findings, samples limit 1").Code);
    }

    [Fact]
    public void Bad_sql_and_a_missing_results_root_are_one_line_errors_with_exit_2()
    {
        var (code, _, err) = Query("selec 1");
        Assert.Equal(ExitCode.Invalid, code);
        Assert.Contains("error: query: Parser Error: syntax error at or near \"selec\"", err);
        Assert.DoesNotContain("   at ", err);

        (code, _, err) = Query("select nosuchcolumn from metrics");
        Assert.Equal(ExitCode.Invalid, code);
        Assert.Contains("nosuchcolumn", err);

        (code, _, err) = Lab("query", "--results", Path.Combine(folders.Root, "nowhere"), "select 1");
        Assert.Equal(ExitCode.Invalid, code);
        Assert.Contains("no results folder at", err);
    }

    [Fact]
    public void Schema_lists_every_table_and_the_table_view_says_how_many_rows()
    {
        var (code, output, _) = Lab("query", "--schema");
        Assert.Equal(ExitCode.Ok, code);
        foreach (var table in new[] { "experiments", "metrics", "series", "samples", "faults", "findings", "points" })
            Assert.Contains(table, output);

        (code, output, _) = Query("select metric from metrics", "--max-rows", "3");
        Assert.Equal(ExitCode.Ok, code);
        var text = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "); // the console wraps at 80 columns
        Assert.Contains("90 row(s) from 2 results folder(s)", text);
        Assert.Contains("87 not shown (--max-rows N, or --csv / --json for all)", text);
    }
}
