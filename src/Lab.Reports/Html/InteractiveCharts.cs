using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lab.Reports.Charts;

namespace Lab.Reports.Html;

/// <summary>
/// The interactive copy of a report's line charts: the vendored uPlot (Html/Vendor, MIT, see its README),
/// the page's own script (Html/report.js) and the charts' numbers as one JSON block. Everything is inlined;
/// the page's policy names each script by its sha256, so nothing else can run. Deterministic: the same
/// charts give the same bytes (no ids, no clock, numbers in invariant culture).
/// </summary>
public static class InteractiveCharts
{
    public static readonly string UPlotJs = Resource("Lab.Reports.Html.Vendor.uPlot.iife.min.js");
    public static readonly string UPlotCss = Resource("Lab.Reports.Html.Vendor.uPlot.min.css");
    public static readonly string ReportJs = Resource("Lab.Reports.Html.report.js");

    /// <summary>uPlot's stylesheet and the page's own rules for the interactive charts.</summary>
    public static string Css => UPlotCss + OwnCss;

    /// <summary>The inline scripts the page needs: none when no chart has data, else uPlot and report.js.</summary>
    public static IReadOnlyList<string> Scripts(ChartSet charts) =>
        charts.Charts.Any(c => c.Data is not null) ? [UPlotJs, ReportJs] : [];

    /// <summary>The CSP source naming one inline script: <c>'sha256-…'</c> of its UTF-8 text.</summary>
    public static string Sha256Source(string script) =>
        $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'";

    /// <summary>
    /// <c>{"name": {x, y, series, shaded, categories}}</c> for every chart with data, in chart order.
    /// The default encoder escapes &lt; and &gt;, so no text can close the script element holding it.
    /// </summary>
    public static string Json(ChartSet charts)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var c in charts.Charts)
            {
                if (c.Data is not { } d) continue;
                w.WriteStartObject(c.Name);
                w.WriteStartObject("x");
                w.WriteString("label", d.XLabel);
                w.WriteBoolean("seconds", d.XSeconds);
                w.WriteBoolean("log", d.XLog);
                w.WriteBoolean("canLog", d.XCanLog);
                w.WriteEndObject();
                w.WriteStartObject("y");
                w.WriteString("label", d.YLabel);
                w.WriteBoolean("canLog", d.YCanLog);
                w.WriteBoolean("zero", d.YFromZero);
                w.WriteEndObject();
                w.WriteStartArray("series");
                foreach (var line in d.Lines)
                {
                    var (xs, ys) = Thin(DropFlat(line.X, line.Y), ChartData.MaxPointsPerLine);
                    w.WriteStartObject();
                    w.WriteString("label", line.Label);
                    Numbers(w, "x", xs, "G9");
                    Numbers(w, "y", ys, "G6");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("shaded");
                foreach (var s in d.Shaded.DistinctBy(s => (s.StartSeconds, s.EndSeconds)))
                {
                    w.WriteStartArray();
                    Number(w, s.StartSeconds, "G9");
                    if (s.EndSeconds is { } e) Number(w, e, "G9"); else w.WriteNullValue();
                    w.WriteStringValue(s.Label);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                if (d.Categories is { } cats)
                {
                    w.WriteStartArray("categories");
                    foreach (var cat in cats) w.WriteStringValue(cat);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The line without the inner points of its flat stretches (a point whose neighbours on both sides have
    /// its value): drawn the same, a fraction of the bytes for levels that hold for hours.
    /// </summary>
    public static (double[] X, double[] Y) DropFlat(double[] xs, double[] ys)
    {
        var n = Math.Min(xs.Length, ys.Length);
        var keep = new List<int>(n);
        for (int i = 0; i < n; i++)
            if (i == 0 || i == n - 1 || !ys[i].Equals(ys[i - 1]) || !ys[i].Equals(ys[i + 1])) keep.Add(i);
        return (keep.Select(i => xs[i]).ToArray(), keep.Select(i => ys[i]).ToArray());
    }

    public static (double[] X, double[] Y) Thin((double[] X, double[] Y) line, int max) => Thin(line.X, line.Y, max);

    /// <summary>
    /// At most <paramref name="max"/> points: a longer line is cut into equal stretches and each keeps its
    /// first point and its lowest and highest (in x order), so peaks and dips survive the thinning.
    /// </summary>
    public static (double[] X, double[] Y) Thin(double[] xs, double[] ys, int max)
    {
        var n = Math.Min(xs.Length, ys.Length);
        if (n <= max) return (xs[..n], ys[..n]);
        var stretches = Math.Max(1, max / 3);
        var keep = new SortedSet<int>();
        for (int s = 0; s < stretches; s++)
        {
            int from = (int)((long)s * n / stretches), to = (int)((long)(s + 1) * n / stretches);
            if (to <= from) continue;
            int lo = from, hi = from;
            for (int i = from; i < to; i++)
            {
                if (ys[i] < ys[lo]) lo = i;
                if (ys[i] > ys[hi]) hi = i;
            }
            keep.Add(from); keep.Add(lo); keep.Add(hi);
        }
        keep.Add(n - 1);
        return (keep.Select(i => xs[i]).ToArray(), keep.Select(i => ys[i]).ToArray());
    }

    private static void Numbers(Utf8JsonWriter w, string name, double[] values, string format)
    {
        w.WriteStartArray(name);
        foreach (var v in values) Number(w, v, format);
        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, double v, string format)
    {
        if (double.IsFinite(v)) w.WriteRawValue(v.ToString(format, CultureInfo.InvariantCulture), skipInputValidation: true);
        else w.WriteNullValue();
    }

    internal static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from Lab.Reports");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private const string OwnCss = """

        .js-only { display: none; }
        .js .js-only { display: block; }
        figure.live img.chart { display: none; }
        figure.live.show-static img.chart { display: block; }
        figure.live.show-static .live-chart { display: none; }
        .chart-tools { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; font-size: 13px; color: var(--muted); margin-bottom: 4px; }
        .chart-tools button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); background: var(--band); border-radius: 4px; cursor: pointer; color: var(--ink); }
        .chart-tools label { cursor: pointer; }
        .live-chart { width: 100%; border: 1px solid var(--line); padding-top: 6px; }
        .live-chart .u-legend { font-size: 13px; }
        .live-chart .u-over { cursor: crosshair; }

        """;
}
