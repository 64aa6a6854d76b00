using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Lab.Reports.Statistics;

namespace Lab.Reports.Writers;

/// <summary>
/// Writes <c>summary.json</c>:
/// <code>
/// { "experiment", "seed", "points": [ { "variant", "parameters": { axis: value-as-written },
///   "replications", "metrics": { name: { "mean", "ci95_low", "ci95_high", "p50", "p90", "p99", "max", "n" } },
///   "findings_total", "findings": [ { "replication", "seed", "time_s", "kind", "text" } ] } ] }
/// </code>
/// Keys in that fixed order, metrics in ordinal name order, numbers as <see cref="RoundTrip"/>, UTF-8
/// without BOM, "\n" line ends; no timestamps or machine data, so equal results give equal bytes.
/// </summary>
public static class SummaryJson
{
    public static byte[] Serialize(ExperimentSummary summary)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            // Metric names and finding texts stay readable (µs, →) instead of \uXXXX escapes.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            w.WriteStartObject();
            w.WriteString("experiment", summary.Experiment);
            w.WritePropertyName("seed");
            w.WriteRawValue(RoundTrip.Format(summary.Seed));
            w.WriteStartArray("points");
            foreach (var p in summary.Points) WritePoint(w, p);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WritePoint(Utf8JsonWriter w, PointSummary p)
    {
        w.WriteStartObject();
        w.WriteString("variant", p.Variant);
        w.WriteStartObject("parameters");
        foreach (var (key, value) in p.Parameters) w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteNumber("replications", p.Replications);
        w.WriteStartObject("metrics");
        foreach (var (name, m) in p.Metrics)
        {
            w.WriteStartObject(name);
            Number(w, "mean", m.Mean);
            Number(w, "ci95_low", m.Ci95Low);
            Number(w, "ci95_high", m.Ci95High);
            Number(w, "p50", m.P50);
            Number(w, "p90", m.P90);
            Number(w, "p99", m.P99);
            Number(w, "max", m.Max);
            w.WriteNumber("n", m.N);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteNumber("findings_total", p.FindingsTotal);
        w.WriteStartArray("findings");
        foreach (var f in p.Findings)
        {
            w.WriteStartObject();
            w.WriteNumber("replication", f.Replication);
            w.WritePropertyName("seed");
            w.WriteRawValue(RoundTrip.Format(f.Seed));
            Number(w, "time_s", f.TimeSeconds);
            w.WriteString("kind", f.Kind);
            w.WriteString("text", f.Text);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        if (RoundTrip.Format(value) is { } text) w.WriteRawValue(text);
        else w.WriteNullValue();
    }

    public static string ToText(ExperimentSummary summary) => Encoding.UTF8.GetString(Serialize(summary));
}
