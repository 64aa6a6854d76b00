using System.Globalization;
using System.Text.Json;
using Lab.Experiments.Values;
using Lab.Experiments.Yaml;

namespace Lab.Experiments.Schema;

/// <summary>
/// A workload trace named by its path (relative to the file that names it): read and checked line by line
/// when the experiment is validated (see <see cref="TraceFile"/>), so a run never meets a bad trace.
/// The value is the parsed <see cref="Lab.Consensus.Workload.TraceArrivals"/>.
/// </summary>
public sealed class TraceType : KeyType
{
    public override string Name => "trace file";
    public override string Format => "traces/day1.csv (lines time,size,type)";

    public override object? Parse(YNode node, SchemaKey key, ValueContext ctx)
    {
        if (node is not YScalar { IsNull: false } s || s.Value.Trim().Length == 0)
        {
            ctx.Error(node.Mark, $"expected the path of a CSV trace, got {ScalarType<int>.Describe(node)}");
            return null;
        }
        var path = Path.IsPathRooted(s.Value) ? s.Value : Path.GetFullPath(Path.Combine(ctx.BaseDirectory, s.Value));
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            ctx.Error(s.Mark, $"trace file '{s.Value}' not found (looked in {ctx.Files.Display(path)})");
            return null;
        }
        return TraceFile.Read(path, ctx);
    }

    public override void WriteJsonSchema(Utf8JsonWriter w, SchemaKey key)
    {
        w.WriteString("type", "string");
        WriteCommon(w, key);
    }
}

/// <summary>
/// A calendar instant, ISO 8601 with its offset (<c>2026-06-01T00:00+08:00</c>), between 1970 and 2199:
/// calendars and day arithmetic stay far from the ends of the representable dates. The value is the text
/// as written (models parse it again with <see cref="DateTimeOffset.Parse(string, IFormatProvider)"/>).
/// </summary>
public sealed class InstantType : KeyType
{
    public const int FirstYear = 1970, LastYear = 2199;

    public override string Name => "instant";
    public override string Format => "2026-06-01T00:00+08:00";

    public override object? Parse(YNode node, SchemaKey key, ValueContext ctx)
    {
        if (node is not YScalar { IsNull: false } s)
        {
            ctx.Error(node.Mark, $"expected an instant such as 2026-06-01T00:00+08:00, got {ScalarType<int>.Describe(node)}");
            return null;
        }
        if (!DateTimeOffset.TryParse(s.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            ctx.Error(s.Mark, $"expected an ISO 8601 instant with offset, e.g. 2026-06-01T00:00+08:00, got '{s.Value}'");
            return null;
        }
        if (t.Year is < FirstYear or > LastYear)
        {
            ctx.Error(s.Mark, $"must be from {FirstYear} to {LastYear}, got '{s.Value}'");
            return null;
        }
        return s.Value;
    }

    public override string DescribeRange(SchemaKey key) => $"{FirstYear} to {LastYear}";

    public override void WriteJsonSchema(Utf8JsonWriter w, SchemaKey key)
    {
        w.WriteString("type", "string");
        WriteCommon(w, key);
    }
}
