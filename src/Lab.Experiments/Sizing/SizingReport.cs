using System.Globalization;
using System.Net;
using System.Text;
using Lab.Reports.Charts;
using Lab.Reports.Html;

namespace Lab.Experiments.Sizing;

/// <summary>
/// What <c>lab size</c> writes: <c>sizing.csv</c> (one row per point: the answer, its interval, the binding
/// resource and a sentence an architect can paste), <c>probes.csv</c> (every load tried, tidy long format:
/// one row per probe and target), a chart per variant (max load against the first numeric sweep axis, one
/// line per combination of the other axes, the band from the answer to the largest load that possibly
/// passes) and <c>report.html</c> with the sizing section. The CSV files depend only on the experiment,
/// its seed and the options, never on the machine or the clock.
/// </summary>
public static class SizingReport
{
    public static void Write(SizingResult result, string folder, IReadOnlyList<KeyValuePair<string, string>> provenance)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "sizing.csv"), SizingCsv(result));
        File.WriteAllText(Path.Combine(folder, "probes.csv"), ProbesCsv(result));
        var charts = Charts(result);
        var chartFolder = Path.Combine(folder, "charts");
        Directory.CreateDirectory(chartFolder);
        foreach (var c in charts)
        {
            File.WriteAllBytes(Path.Combine(chartFolder, c.Name + ".png"), c.Png);
            File.WriteAllText(Path.Combine(chartFolder, c.Name + ".svg"), c.Svg);
        }
        File.WriteAllText(Path.Combine(folder, "report.html"), Html(result, charts, provenance));
    }

    /// <summary>The sentence for one point: "pbft, 16 nodes, aws-3-regions sustains 4,100 tx/s [4,100–4,400] at p99 commit_latency_s ≤ 2 s; n0's CPU saturates first (96% busy at 4,400 tx/s)."</summary>
    public static string Sentence(SizingResult result, SizingRow row)
    {
        var o = row.Outcome;
        var unit = result.LoadUnit.Length > 0 ? " " + result.LoadUnit : "";
        var at = string.Join(" and ", result.Targets.Select(t => t.Describe()));
        // A file without variants has one called "default": name the experiment instead.
        var who = row.Point.Variant == "default" && row.Description.StartsWith("default", StringComparison.Ordinal)
            ? result.Experiment.Name + row.Description["default".Length..]
            : row.Description;
        var s = new StringBuilder(who);
        if (o.Sure is not { } sure)
            s.Append($" meets {at} at no load tried (down to {Load(result.Options.Min)}{unit})");
        else
        {
            s.Append(o.AboveMax ? $" sustains at least {Load(sure)}{unit} (the largest load tried)" : $" sustains {Load(sure)}{unit}");
            if (!o.AboveMax && o.Possible is { } possible && possible > sure) s.Append($" [{Load(sure)}–{Load(possible)}]");
            s.Append($" at {at}");
        }
        var b = row.Binding;
        if (b.Resource is not null)
            s.Append(b.Utilisation is { } u
                ? $"; {b.Resource} saturates first ({u * 100:0}% busy at {Load(b.AtLoad!.Value)}{unit})"
                : $"; {b.Resource} binds first");
        else if (!o.AboveMax && o.Sure is not null)
            s.Append($"; no resource is saturated at {Load(b.AtLoad ?? 0)}{unit} ({b.Note}): the targets bind before capacity");
        s.Append('.');
        if (!o.Monotone)
            s.Append($" Not monotone: {Load(o.Inversions[0].Fails)}{unit} fails but {Load(o.Inversions[0].Passes)}{unit} passes, so the answer assumes more than the runs show.");
        return s.ToString();
    }

    public static string Status(SearchOutcome o)
    {
        var flags = new List<string>();
        if (o.BelowMin) flags.Add("below-min");
        if (o.AboveMax) flags.Add("above-max");
        if (!o.Monotone) flags.Add("non-monotone");
        if (o.Unresolved) flags.Add("unresolved");
        return flags.Count == 0 ? "ok" : string.Join(";", flags);
    }

    public static string SizingCsv(SizingResult result)
    {
        var axes = result.Experiment.SweepAxes;
        var w = new StringBuilder();
        w.Append("point,variant");
        foreach (var a in axes) w.Append(',').Append(Csv(a));
        w.Append(",description,load_key,max_load,estimate,possible,knee_below,status,binding,binding_utilisation,binding_at_load,probes,runs,sentence\n");
        foreach (var row in result.Rows)
        {
            var o = row.Outcome;
            w.Append(row.Point.Index.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Csv(row.Point.Variant));
            foreach (var a in axes) w.Append(',').Append(Csv(row.Point.Parameters.FirstOrDefault(p => p.Key == a).Value ?? ""));
            w.Append(',').Append(Csv(row.Description)).Append(',').Append(Csv(result.LoadKey))
             .Append(',').Append(Num(o.Sure)).Append(',').Append(Num(o.ByMean)).Append(',').Append(Num(o.Possible)).Append(',').Append(Num(o.SureFails))
             .Append(',').Append(Status(o))
             .Append(',').Append(Csv(row.Binding.Resource ?? ""))
             .Append(',').Append(Num(row.Binding.Utilisation)).Append(',').Append(Num(row.Binding.AtLoad))
             .Append(',').Append(row.Probes.Count.ToString(CultureInfo.InvariantCulture))
             .Append(',').Append((row.Probes.Count * result.Experiment.Replications).ToString(CultureInfo.InvariantCulture))
             .Append(',').Append(Csv(Sentence(result, row))).Append('\n');
        }
        return w.ToString();
    }

    public static string ProbesCsv(SizingResult result)
    {
        var w = new StringBuilder("point,load,level,target,target_level,mean,ci95_low,ci95_high,cpu_utilisation_max,busiest_cpu,uplink_utilisation_max,throughput_tps\n");
        foreach (var row in result.Rows)
            foreach (var p in row.Probes)
                foreach (var r in p.Readings)
                    w.Append(p.Point.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Num(p.Load)).Append(',').Append(p.Level.ToString(CultureInfo.InvariantCulture))
                     .Append(',').Append(Csv(r.Target.Text)).Append(',').Append(r.Level.ToString(CultureInfo.InvariantCulture))
                     .Append(',').Append(Num(r.Mean)).Append(',').Append(Num(r.Low)).Append(',').Append(Num(r.High))
                     .Append(',').Append(Num(p.Use.CpuMax)).Append(',').Append(Csv(p.Use.CpuNode ?? "")).Append(',').Append(Num(p.Use.UplinkMax))
                     .Append(',').Append(Num(p.Use.Throughput)).Append('\n');
        return w.ToString();
    }

    /// <summary>One chart per variant: the answer against the first numeric sweep axis (chain.nodes if swept), one line per combination of the other axes.</summary>
    public static IReadOnlyList<ChartImage> Charts(SizingResult result)
    {
        var axes = result.Experiment.SweepAxes;
        var rows = result.Rows;
        string? x = axes.Contains("chain.nodes") ? "chain.nodes"
            : axes.FirstOrDefault(a => rows.All(r => double.TryParse(Param(r, a), NumberStyles.Float, CultureInfo.InvariantCulture, out _)));
        var yLabel = $"largest {result.LoadKey}" + (result.LoadUnit.Length > 0 ? $" ({result.LoadUnit})" : "");
        var targets = string.Join(", ", result.Targets.Select(t => t.Describe()));
        var charts = new List<ChartImage>();
        if (x is null)
        {
            // No numeric axis: each variant's points side by side.
            var lines = new List<ChartLine>();
            var variants = rows.Select(r => r.Point.Variant).Distinct().ToList();
            foreach (var group in rows.GroupBy(r => Others(r, null)))
            {
                var pts = group.Where(r => r.Outcome.Sure is not null).ToList();
                lines.Add(new ChartLine(group.Key.Length == 0 ? "max load" : group.Key, [.. pts.Select(r => (double)variants.IndexOf(r.Point.Variant))],
                    [.. pts.Select(r => r.Outcome.Sure!.Value)], [.. pts.Select(r => r.Outcome.Sure!.Value)], [.. pts.Select(r => r.Outcome.Possible ?? r.Outcome.Sure!.Value)]));
            }
            charts.Add(SweepChart.Render("sizing", $"Largest load meeting {targets}", "variant", yLabel, lines, variants, Caption(result)));
            return charts;
        }
        foreach (var variant in rows.Select(r => r.Point.Variant).Distinct())
        {
            var lines = new List<ChartLine>();
            foreach (var group in rows.Where(r => r.Point.Variant == variant).GroupBy(r => Others(r, x)))
            {
                var pts = group.Where(r => r.Outcome.Sure is not null).ToList();
                if (pts.Count == 0) continue;
                lines.Add(new ChartLine(group.Key.Length == 0 ? variant : group.Key,
                    [.. pts.Select(r => double.Parse(Param(r, x), CultureInfo.InvariantCulture))],
                    [.. pts.Select(r => r.Outcome.Sure!.Value)],
                    [.. pts.Select(r => r.Outcome.Sure!.Value)],
                    [.. pts.Select(r => r.Outcome.AboveMax ? r.Outcome.Sure!.Value : r.Outcome.Possible ?? r.Outcome.Sure!.Value)]));
            }
            if (lines.Count == 0) continue;
            charts.Add(SweepChart.Render($"sizing-{Slug(variant)}", $"{variant}: largest load meeting {targets}", x, yLabel, lines, null, Caption(result)));
        }
        return charts;
    }

    private static string Caption(SizingResult r) =>
        $"Each line: the largest load whose 95% interval meets every target (band: up to the largest load that possibly meets them), {r.Experiment.Replications} replication(s) per load, bisection to ±{r.Options.Tolerance * 100:0.#}%.";

    private static string Param(SizingRow r, string axis) => r.Point.Parameters.FirstOrDefault(p => p.Key == axis).Value ?? "";

    private static string Others(SizingRow r, string? except) => string.Join(", ", r.Point.Parameters.Where(p => p.Key != except).Select(p => p.Key switch
    {
        "network.preset" => p.Value,
        "faults" => FaultWords(r, p),
        _ => $"{p.Key}={p.Value}",
    }));

    private static string FaultWords(SizingRow r, KeyValuePair<string, string> p)
    {
        // The description's fault part (a list value has no short written form).
        var d = Sizer.Describe(r.Point with { Parameters = [p] });
        return d[(r.Point.Variant.Length + 2)..];
    }

    private static string Html(SizingResult result, IReadOnlyList<ChartImage> charts, IReadOnlyList<KeyValuePair<string, string>> provenance)
    {
        var e = result.Experiment;
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"{HtmlReport.ContentSecurityPolicy}\">\n");
        h.Append($"<title>{E(e.Name)} — sizing</title>\n<style>{Css}</style>\n</head>\n<body>\n<main>\n");
        h.Append($"<header><p class=\"kicker\">Lab sizing report</p><h1>{E(e.Name)}</h1><p>{E(e.Description)}</p></header>\n");
        h.Append("<section id=\"sizing\"><h2>Sizing</h2>\n");
        h.Append($"<p>For each point, the largest <code>{E(result.LoadKey)}</code> that meets {E(string.Join(" and ", result.Targets.Select(t => t.Describe())))}. ");
        h.Append($"A load passes only if the upper end of its 95% interval over {e.Replications} replication(s) meets each bound (the lower end, for a ≥ target); ");
        h.Append($"the load was bracketed (×{result.Options.Factor:0.##}) and bisected until the knee was located within ±{result.Options.Tolerance * 100:0.#}%. ");
        h.Append("The interval after the answer runs to the largest load whose interval still reaches the bound. The binding resource is read at the smallest load tried above the answer.</p>\n");
        h.Append("<ul class=\"sentences\">\n");
        foreach (var row in result.Rows) h.Append($"<li>{E(Sentence(result, row))}</li>\n");
        h.Append("</ul>\n<div class=\"scroll\"><table>\n<thead><tr><th>point</th><th>max load</th><th>estimate</th><th>possible</th><th>status</th><th>binding</th><th>probes</th></tr></thead>\n<tbody>\n");
        foreach (var row in result.Rows)
        {
            var o = row.Outcome;
            h.Append($"<tr><td>{E(row.Description)}</td><td>{Load(o.Sure)}</td><td>{Load(o.ByMean)}</td><td>{Load(o.Possible)}</td><td>{E(Status(o))}</td><td>{E(row.Binding.Resource ?? row.Binding.Note)}</td><td>{row.Probes.Count}</td></tr>\n");
        }
        h.Append("</tbody></table></div>\n");
        foreach (var c in charts)
            h.Append($"<figure><img alt=\"{E(c.Title)}\" src=\"data:image/png;base64,{Convert.ToBase64String(c.Png)}\"><figcaption>{E(c.Caption)}</figcaption></figure>\n");
        h.Append("<p class=\"note\">Every probe (load, target, mean and interval, CPU and link use) is in probes.csv; any one is reproduced by <code>lab run FILE --set " + E(result.LoadKey) + "=LOAD</code>.</p>\n</section>\n");
        h.Append($"<section><h2>What was run</h2><pre>{E(e.SourceText)}</pre>\n<table>");
        foreach (var (k, v) in provenance) h.Append($"<tr><th>{E(k)}</th><td>{E(v)}</td></tr>");
        h.Append("</table></section>\n</main>\n</body>\n</html>\n");
        return h.ToString();
    }

    private const string Css = "body{font-family:DejaVu Sans,Arial,sans-serif;margin:0;color:#222}main{max-width:1000px;margin:auto;padding:1em}"
        + "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left}.scroll{overflow-x:auto}"
        + "img{max-width:100%}.kicker{color:#777;text-transform:uppercase;font-size:.8em}.note{color:#555}pre{background:#f6f6f6;padding:.5em;overflow-x:auto}";

    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>A load for a sentence: thousands separated, at most 3 significant digits beyond the integer part.</summary>
    public static string Load(double? v) => v is not { } x ? "—"
        : x >= 100 ? x.ToString("#,0", CultureInfo.InvariantCulture) : x.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Num(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("G6", CultureInfo.InvariantCulture) : "";

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static string Slug(string s) => new([.. s.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);
}
