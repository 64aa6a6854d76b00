using System.Data.Common;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Lab.Cli.Query;

/// <summary>
/// Every results folder under a root (<c>results/&lt;experiment&gt;/&lt;run-id&gt;/</c> with a summary.json)
/// as tables of an in-memory DuckDB database, for <c>lab query</c>:
/// <list type="bullet">
/// <item><c>experiments</c>: one row per results folder (experiment, run_id, folder, file, seed, status, lab_version, git_commit, runs).</item>
/// <item><c>metrics</c>: the per-run value of every metric (metrics/scalars), with <c>experiment, run_id</c> in front.</item>
/// <item><c>series</c>, <c>samples</c>, <c>faults</c>, <c>findings</c>, <c>points</c>: the other tidy tables of metrics/.</item>
/// </list>
/// Tables are views over the folders' Parquet files (the CSVs for folders written before Parquet existed),
/// so nothing is copied; DuckDB reads only what a query needs.
/// </summary>
public sealed class ResultsCatalog : IDisposable
{
    /// <summary>Table → its columns, in order (also what <c>lab query --schema</c> prints).</summary>
    public static readonly IReadOnlyList<(string Table, string Description, (string Name, string Type)[] Columns)> Tables =
    [
        ("experiments", "one row per results folder", [("experiment", "VARCHAR"), ("run_id", "VARCHAR"), ("folder", "VARCHAR"), ("file", "VARCHAR"), ("seed", "UBIGINT"), ("status", "VARCHAR"), ("lab_version", "VARCHAR"), ("git_commit", "VARCHAR"), ("runs", "INTEGER")]),
        ("metrics", "per-run value of every metric in summary.json (metrics/scalars)", Tidy("DOUBLE", withTime: false)),
        ("series", "time series: value summed into [time, time + bin)", Tidy("DOUBLE", withTime: true)),
        ("samples", "raw samples (at most 10,000 per run and metric)", Tidy("DOUBLE", withTime: false)),
        ("faults", "injected faults: metric = description, time = start, value = duration in s", Tidy("DOUBLE", withTime: true)),
        ("findings", "checker findings: metric = kind, time = when, value = text", Tidy("VARCHAR", withTime: true)),
        ("points", "sweep points: one row per sweep parameter", [("experiment", "VARCHAR"), ("run_id", "VARCHAR"), ("point", "INTEGER"), ("variant", "VARCHAR"), ("replications", "INTEGER"), ("parameter", "VARCHAR"), ("value", "VARCHAR")]),
    ];

    private static (string, string)[] Tidy(string valueType, bool withTime) =>
    [
        ("experiment", "VARCHAR"), ("run_id", "VARCHAR"), ("run", "INTEGER"), ("variant", "VARCHAR"), ("point", "INTEGER"),
        ("replication", "INTEGER"), ("metric", "VARCHAR"), .. withTime ? new[] { ("time", "DOUBLE") } : [], ("value", valueType),
    ];

    /// <summary>The file under metrics/ behind each table other than experiments.</summary>
    private static string FileOf(string table) => table == "metrics" ? "scalars" : table;

    private readonly DuckDBConnection connection;

    /// <summary>The results folders found, in path order.</summary>
    public IReadOnlyList<string> Folders { get; }

    private ResultsCatalog(DuckDBConnection connection, IReadOnlyList<string> folders)
    {
        this.connection = connection;
        Folders = folders;
    }

    /// <summary>Opens the catalog of <paramref name="root"/> (which must exist).</summary>
    public static ResultsCatalog Open(string root)
    {
        var folders = Directory.EnumerateDirectories(root)
            .SelectMany(e => Directory.EnumerateDirectories(e))
            .Where(f => File.Exists(Path.Combine(f, "summary.json")) && Directory.Exists(Path.Combine(f, "metrics")))
            .Select(Path.GetFullPath)
            .Order(StringComparer.Ordinal)
            .ToList();
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        var catalog = new ResultsCatalog(connection, folders);
        catalog.Build();
        return catalog;
    }

    private void Build()
    {
        var sql = new StringBuilder();
        sql.Append(Experiments());
        foreach (var (table, _, columns) in Tables.Skip(1))
        {
            var names = string.Join(", ", columns.Select(c => c.Name));
            var parts = Folders.Select(f => Part(f, table, columns)).Where(p => p is not null).ToList();
            var empty = $"SELECT {string.Join(", ", columns.Select(c => $"CAST(NULL AS {c.Type}) AS {c.Name}"))} WHERE false";
            sql.Append($"CREATE VIEW {table} AS SELECT {names} FROM ({string.Join("\nUNION ALL ", parts.Append(empty))});\n");
        }
        Execute(sql.ToString());
    }

    /// <summary>One folder's rows of a table, with experiment and run_id in front; null if the folder lacks the file.</summary>
    private static string? Part(string folder, string table, (string Name, string Type)[] columns)
    {
        var (experiment, runId) = Names(folder);
        var metrics = Path.Combine(folder, "metrics");
        var parquet = Path.Combine(metrics, FileOf(table) + ".parquet");
        var csv = Path.Combine(metrics, FileOf(table) + ".csv");
        var own = columns.Skip(2).ToArray();
        string source;
        if (File.Exists(parquet)) source = $"read_parquet({Text(parquet)})";
        else if (File.Exists(csv))
        {
            // The CSV's own columns, all of them: the tidy tables always have time, even where the table omits it.
            var fileColumns = table == "points" ? own
                : [("run", "INTEGER"), ("variant", "VARCHAR"), ("point", "INTEGER"), ("replication", "INTEGER"), ("metric", "VARCHAR"), ("time", "DOUBLE"), own[^1]];
            source = $"read_csv({Text(csv)}, header = true, auto_detect = false, columns = {{{string.Join(", ", fileColumns.Select(c => $"{Text(c.Name)}: {Text(c.Type)}"))}}})";
        }
        else return null;
        var select = string.Join(", ", own.Select(c => $"CAST({c.Name} AS {c.Type}) AS {c.Name}"));
        return $"SELECT {Text(experiment)} AS experiment, {Text(runId)} AS run_id, {select} FROM {source}";
    }

    private string Experiments()
    {
        var rows = new List<string>();
        foreach (var folder in Folders)
        {
            var (experiment, runId) = Names(folder);
            string? file = null, status = null, version = null, commit = null;
            ulong? seed = null;
            int? runs = null;
            try
            {
                using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "manifest.json")));
                var m = manifest.RootElement;
                file = Str(m, "file"); status = Str(m, "status"); version = Str(m, "lab_version"); commit = Str(m, "git_commit");
                if (m.TryGetProperty("seed", out var s) && s.TryGetUInt64(out var sv)) seed = sv;
                if (m.TryGetProperty("runs", out var r) && r.TryGetInt32(out var rv)) runs = rv;
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { /* a folder without a readable manifest still has its metrics */ }
            rows.Add($"({Text(experiment)}, {Text(runId)}, {Text(folder)}, {Text(file)}, {(seed is { } x ? x + "::UBIGINT" : "NULL")}, {Text(status)}, {Text(version)}, {Text(commit)}, {(runs?.ToString() ?? "NULL")})");
        }
        var columns = Tables[0].Columns;
        var create = $"CREATE TABLE experiments ({string.Join(", ", columns.Select(c => $"{c.Name} {c.Type}"))});\n";
        return rows.Count == 0 ? create : create + $"INSERT INTO experiments VALUES {string.Join(",\n", rows)};\n";
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static (string Experiment, string RunId) Names(string folder) =>
        (Path.GetFileName(Path.GetDirectoryName(folder)!), Path.GetFileName(folder));

    /// <summary>A SQL string literal (or NULL).</summary>
    private static string Text(string? s) => s is null ? "NULL" : "'" + s.Replace("'", "''") + "'";

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs one query; the column names and the rows, values as .NET objects (DBNull as null).</summary>
    public (IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows) Query(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using DbDataReader reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return (columns, rows);
    }

    public void Dispose() => connection.Dispose();
}
