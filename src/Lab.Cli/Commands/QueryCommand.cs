using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using DuckDB.NET.Data;
using Lab.Cli.Query;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary><c>lab query "SQL"</c>: SQL (DuckDB) over every results folder under results/.</summary>
public static class QueryCommand
{
    public static int Execute(CliApp app, string[] args)
    {
        var o = Options.Parse(args, new HashSet<string> { "--results", "--max-rows" }, new HashSet<string> { "--csv", "--json", "--schema", "--help", "-h" });
        if (o.Has("--help") || o.Has("-h")) { Help.Query(app.Output); return ExitCode.Ok; }
        if (o.Has("--schema")) { Schema(app.Output); if (o.Positionals.Count == 0) return ExitCode.Ok; }
        if (o.Positionals.Count != 1) throw new UsageException("query takes one SQL statement in quotes, e.g. lab query \"select * from experiments\"");
        if (o.Has("--csv") && o.Has("--json")) throw new UsageException("--csv and --json: choose one");
        var maxRows = o.Int("--max-rows", 1, int.MaxValue) ?? 200;
        var root = o.Last("--results") ?? "results";
        if (!Directory.Exists(root))
            return app.Fail($"no results folder at {root}: run an experiment first (lab run FILE), or name one with --results DIR", ExitCode.Invalid);

        using var catalog = ResultsCatalog.Open(root);
        (IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows) result;
        try { result = catalog.Query(o.Positionals[0]); }
        catch (DuckDBException e) { return app.Fail($"query: {FirstLine(e.Message)}", ExitCode.Invalid); }

        var output = app.Output.Profile.Out.Writer;
        if (o.Has("--csv")) output.Write(Csv(result.Columns, result.Rows));
        else if (o.Has("--json")) output.Write(Json(result.Columns, result.Rows));
        else
        {
            var table = new Table();
            foreach (var c in result.Columns) table.AddColumn(Markup.Escape(c));
            foreach (var row in result.Rows.Take(maxRows)) table.AddRow(row.Select(v => Markup.Escape(Format(v) ?? "")).ToArray());
            app.Output.Write(table);
            var more = result.Rows.Count - maxRows;
            app.Output.MarkupLine($"[grey]{result.Rows.Count:N0} row(s) from {catalog.Folders.Count:N0} results folder(s) under {Markup.Escape(root)}" +
                (more > 0 ? $"; {more:N0} not shown (--max-rows N, or --csv / --json for all)" : "") + "[/]");
        }
        return ExitCode.Ok;
    }

    private static void Schema(IAnsiConsole c)
    {
        var t = new Table().AddColumn("table").AddColumn("columns").AddColumn("rows");
        foreach (var (table, description, columns) in ResultsCatalog.Tables)
            t.AddRow($"[bold]{table}[/]", Markup.Escape(string.Join(", ", columns.Select(x => $"{x.Name} {x.Type}"))), Markup.Escape(description));
        c.Write(t);
    }

    /// <summary>Numbers as the results files write them (shortest round-trip form), everything else invariant.</summary>
    public static string? Format(object? v) => v switch
    {
        null => null,
        double d => Lab.Reports.Writers.RoundTrip.Format(d) ?? (double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity"),
        float f => Format((double)f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };

    private static string Csv(IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        using var buffer = new MemoryStream();
        // As the results' CSVs: RFC 4180 quoting, "\n" line ends, no BOM.
        using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { NewLine = "\n", WriteByteOrderMark = false }, leaveOpen: true))
        {
            csv.WriteRecord(columns.ToArray());
            foreach (var row in rows) csv.WriteRecord(row.Select(v => Format(v) ?? "").ToArray());
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Json(IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                for (int i = 0; i < columns.Count; i++)
                {
                    json.WritePropertyName(columns[i]);
                    switch (row[i])
                    {
                        case null: json.WriteNullValue(); break;
                        case double d when double.IsFinite(d): json.WriteRawValue(Format(d)!); break;
                        case double: json.WriteNullValue(); break;
                        case bool b: json.WriteBooleanValue(b); break;
                        case int or long or short or byte or sbyte or uint or ulong or ushort or decimal or float:
                            json.WriteRawValue(Format(row[i])!); break;
                        default: json.WriteStringValue(Format(row[i])); break;
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.Length > 0 ? line : message;
    }
}
