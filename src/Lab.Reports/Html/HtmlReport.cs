using System.Net;
using System.Text;
using Lab.Reports.Charts;
using Lab.Reports.Statistics;

namespace Lab.Reports.Html;

/// <summary>
/// <c>report.html</c>: one self-contained page for a reader who did not write the experiment: what was
/// run, the result in plain words, a headline table, the charts, findings, all metrics, the experiment
/// file and provenance. Charts are embedded as base64 PNG; line charts are also redrawn interactively by
/// the vendored uPlot (<see cref="InteractiveCharts"/>) from their data in a JSON block. Nothing comes from
/// outside the file: the Content-Security-Policy allows no network at all and only the page's own inline
/// scripts, by their sha256. With scripts disabled the static images are what the reader sees.
/// </summary>
public static class HtmlReport
{
    /// <summary>The policy of a page with no script at all (e.g. the sizing report).</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'none'";

    /// <summary>The policy of <c>report.html</c>: as <see cref="ContentSecurityPolicy"/>, but running the page's own inline scripts, named by hash.</summary>
    public const string ScriptPolicyPrefix = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src ";

    /// <summary>The policy allowing exactly these inline scripts.</summary>
    public static string PolicyFor(IEnumerable<string> scripts) =>
        ScriptPolicyPrefix + string.Join(' ', scripts.Select(InteractiveCharts.Sha256Source));

    public static string Render(ExperimentResult result, ExperimentSummary summary, ChartSet charts,
        IReadOnlyList<KeyValuePair<string, string>> provenance)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        var follow = result.Follow is { Journeys.Count: > 0 } f ? f : null;
        var scripts = new List<string>(InteractiveCharts.Scripts(charts));
        if (follow is not null) scripts.Add(FollowOneTrade.Script);
        h.Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"{(scripts.Count > 0 ? PolicyFor(scripts) : ContentSecurityPolicy)}\">\n");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.Append($"<title>{E(result.Name)} — Lab report</title>\n<style>{Css}</style>\n");
        if (scripts.Count > 0) h.Append($"<style>{InteractiveCharts.Css}</style>\n");
        if (follow is not null) h.Append($"<style>{FollowOneTrade.Css}</style>\n");
        h.Append("</head>\n<body>\n<main>\n");

        h.Append($"<header><p class=\"kicker\">Lab experiment report</p><h1>{E(result.Name)}</h1>");
        if (result.Description.Length > 0) h.Append($"<p class=\"description\">{E(result.Description)}</p>");
        h.Append("</header>\n");

        h.Append("<section id=\"summary\"><h2>In short</h2>\n");
        foreach (var s in Narrative.Sentences(result, summary)) h.Append($"<p>{E(s)}</p>\n");
        h.Append("</section>\n");

        ModelTables(h, result);
        HeadlineTable(h, result, summary);
        if (follow is not null) FollowOneTrade.Section(h, follow);
        Charts(h, charts);
        Findings(h, summary);
        AllMetrics(h, summary);

        h.Append("<section id=\"experiment\"><h2>What was run</h2>\n<p>The experiment file as written:</p>\n");
        h.Append($"<pre class=\"yaml\">{E(result.SourceYaml)}</pre>\n");
        h.Append($"<details><summary>Resolved experiment (defaults filled in, overrides applied)</summary><pre class=\"yaml\">{E(result.ResolvedYaml)}</pre></details>\n</section>\n");

        h.Append("<section id=\"provenance\"><h2>Provenance</h2>\n<table class=\"kv\">\n");
        h.Append($"<tr><th>experiment</th><td>{E(result.Name)}</td></tr>\n<tr><th>root seed</th><td>{summary.Seed}</td></tr>\n");
        foreach (var (k, v) in provenance) h.Append($"<tr><th>{E(k)}</th><td>{E(v)}</td></tr>\n");
        h.Append("</table>\n<p class=\"note\">summary.json and metrics/*.csv hold every number in this report; the same experiment and seed reproduce them byte for byte.</p>\n</section>\n");
        h.Append("</main>\n");
        if (follow is not null) h.Append($"<script type=\"application/json\" id=\"lab-follow-data\">{FollowOneTrade.Json(follow)}</script>\n");
        if (scripts.Count > 0)
        {
            if (charts.Charts.Any(c => c.Data is not null))
                h.Append($"<script type=\"application/json\" id=\"lab-chart-data\">{InteractiveCharts.Json(charts)}</script>\n");
            foreach (var script in scripts) h.Append($"<script>{script}</script>\n");
        }
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    private static void ModelTables(StringBuilder h, ExperimentResult result)
    {
        foreach (var t in result.Tables)
        {
            h.Append($"<section class=\"model-table\"><h2>{E(t.Title)}</h2>\n<div class=\"scroll\"><table class=\"numbers\">\n<thead><tr>");
            foreach (var c in t.Columns) h.Append($"<th>{E(c)}</th>");
            h.Append("</tr></thead>\n<tbody>\n");
            foreach (var row in t.Rows)
            {
                h.Append("<tr>");
                foreach (var cell in row) h.Append($"<td>{E(cell)}</td>");
                h.Append("</tr>\n");
            }
            h.Append("</tbody></table></div>\n");
            if (t.Note.Length > 0) h.Append($"<p class=\"note\">{E(t.Note)}</p>\n");
            h.Append("</section>\n");
        }
    }

    private static void HeadlineTable(StringBuilder h, ExperimentResult result, ExperimentSummary summary)
    {
        var columns = Headline.Columns(result, summary);

        h.Append("<section id=\"headline\"><h2>Headline numbers</h2>\n<div class=\"scroll\"><table class=\"numbers\">\n<thead><tr><th>Variant</th>");
        foreach (var axis in result.SweepAxes) h.Append($"<th>{E(axis)}</th>");
        h.Append("<th>Runs</th>");
        foreach (var c in columns) h.Append($"<th>{E(c.Title)}</th>");
        h.Append("</tr></thead>\n<tbody>\n");
        foreach (var p in summary.Points)
        {
            h.Append($"<tr><td>{E(p.Variant)}</td>");
            foreach (var axis in result.SweepAxes) h.Append($"<td>{E(p.Parameter(axis) ?? "")}</td>");
            h.Append($"<td>{p.Replications}</td>");
            foreach (var c in columns)
            {
                if (!p.Metrics.TryGetValue(c.Metric, out var m)) { h.Append("<td>–</td>"); continue; }
                h.Append($"<td>{E(MetricLabels.Format(c.Metric, c.Pick(m)))}");
                if (c.Ci && m.N > 1 && m.Ci95Low != m.Ci95High) h.Append($"<span class=\"ci\">[{E(MetricLabels.Format(c.Metric, m.Ci95Low))} – {E(MetricLabels.Format(c.Metric, m.Ci95High))}]</span>");
                h.Append("</td>");
            }
            h.Append("</tr>\n");
        }
        h.Append("</tbody></table></div>\n</section>\n");
    }

    private static void Charts(StringBuilder h, ChartSet charts)
    {
        h.Append("<section id=\"charts\"><h2>Charts</h2>\n");
        if (charts.Charts.Count == 0) h.Append("<p>No chart could be drawn from these results.</p>\n");
        if (charts.Charts.Any(c => c.Data is not null))
            h.Append("<p class=\"note js-only\">Line charts are interactive: hover for values, drag across a chart to zoom into that stretch, "
                + "mouse wheel zooms, shift + wheel pans, double-click resets; click a legend entry to hide or show its line. "
                + "The static image beside each (charts/*.png · .svg, for papers) is one click away.</p>\n");
        foreach (var c in charts.Charts)
        {
            var live = c.Data is not null ? " data-chart=\"" + E(c.Name) + "\"" : "";
            h.Append($"<figure id=\"chart-{E(c.Name)}\"{live}><img class=\"chart\" alt=\"{E(c.Title)}\" width=\"{ChartCanvas.Width}\" height=\"{ChartCanvas.Height}\" src=\"data:image/png;base64,");
            h.Append(Convert.ToBase64String(c.Png));
            h.Append($"\"><figcaption><strong>{E(c.Title)}.</strong> {E(c.Caption)}");
            if (c.LookAt.Length > 0) h.Append($" <span class=\"look\">{E(c.LookAt)}</span>");
            h.Append($" <span class=\"file\">charts/{E(c.Name)}.png · .svg</span></figcaption></figure>\n");
        }
        if (charts.Skipped.Count > 0)
        {
            h.Append("<div class=\"skipped\"><p>Charts not drawn:</p><ul>\n");
            foreach (var s in charts.Skipped) h.Append($"<li>{E(s)}</li>\n");
            h.Append("</ul></div>\n");
        }
        h.Append("</section>\n");
    }

    private static void Findings(StringBuilder h, ExperimentSummary summary)
    {
        var total = summary.Points.Sum(p => p.FindingsTotal);
        h.Append("<section id=\"findings\"><h2>Findings</h2>\n");
        if (total == 0)
        {
            h.Append("<p>Nothing notable was reported by the runs (no safety violation or other finding).</p>\n</section>\n");
            return;
        }
        h.Append("<div class=\"scroll\"><table class=\"findings\">\n<thead><tr><th>Point</th><th>Replication</th><th>Time</th><th>Kind</th><th>What happened</th></tr></thead>\n<tbody>\n");
        foreach (var p in summary.Points)
        {
            foreach (var f in p.Findings)
            {
                var cls = f.Kind.StartsWith(RunValues.SafetyFindingPrefix, StringComparison.Ordinal) ? " class=\"safety\"" : "";
                h.Append($"<tr{cls}><td>{E(p.Label)}</td><td>{f.Replication}</td><td>{E(TimeAxis.Humanise(f.TimeSeconds))}</td><td>{E(f.Kind)}</td><td>{E(f.Text)}</td></tr>\n");
            }
            if (p.FindingsTotal > p.Findings.Count)
                h.Append($"<tr><td colspan=\"5\">… and {p.FindingsTotal - p.Findings.Count} more for {E(p.Label)} (all in metrics/findings.csv)</td></tr>\n");
        }
        h.Append("</tbody></table></div>\n</section>\n");
    }

    private static void AllMetrics(StringBuilder h, ExperimentSummary summary)
    {
        h.Append("<section id=\"metrics\"><h2>All metrics</h2>\n<p class=\"note\">Mean and 95% confidence interval across replications (Student t; one replication gives no interval). "
            + "Percentiles and max: over all samples pooled for sample metrics (marked •), over per-run values otherwise.</p>\n");
        foreach (var p in summary.Points)
        {
            h.Append($"<details><summary>{E(p.Label)} — {p.Replications} replication(s), {p.Metrics.Count} metrics</summary>\n");
            h.Append("<div class=\"scroll\"><table class=\"numbers\"><thead><tr><th>Metric</th><th>mean</th><th>ci95 low</th><th>ci95 high</th><th>p50</th><th>p90</th><th>p99</th><th>max</th><th>n</th></tr></thead><tbody>\n");
            foreach (var (name, m) in p.Metrics)
            {
                var mark = p.SampleMetrics.Contains(name) ? " •" : "";
                h.Append($"<tr><td>{E(name)}{mark}</td>");
                foreach (var v in new[] { m.Mean, m.Ci95Low, m.Ci95High, m.P50, m.P90, m.P99, m.Max })
                    h.Append($"<td>{E(TimeAxis.Significant(v))}</td>");
                h.Append($"<td>{m.N}</td></tr>\n");
            }
            h.Append("</tbody></table></div></details>\n");
        }
        h.Append("</section>\n");
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private const string Css = """

        :root { --ink: #1d2330; --muted: #5b6475; --line: #dde2ea; --accent: #1f6feb; --bad: #b42318; --paper: #ffffff; --band: #f5f7fa; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--band); color: var(--ink); font: 16px/1.55 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
        main { max-width: 1040px; margin: 0 auto; padding: 32px 24px 64px; background: var(--paper); }
        header { border-bottom: 3px solid var(--accent); margin-bottom: 24px; }
        .kicker { margin: 0; color: var(--accent); text-transform: uppercase; letter-spacing: .08em; font-size: 13px; }
        h1 { margin: 4px 0 8px; font-size: 30px; }
        h2 { margin-top: 40px; font-size: 21px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        .description { color: var(--muted); font-size: 17px; }
        #summary p { font-size: 17px; margin: 6px 0; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 14px; }
        th, td { border-bottom: 1px solid var(--line); padding: 6px 10px; text-align: left; vertical-align: top; }
        thead th { background: var(--band); font-weight: 600; }
        table.numbers td:not(:first-child) { font-variant-numeric: tabular-nums; white-space: nowrap; }
        .ci { display: block; color: var(--muted); font-size: 12px; }
        table.kv td { overflow-wrap: anywhere; }
        table.kv th { width: 200px; color: var(--muted); font-weight: normal; }
        tr.safety td { color: var(--bad); }
        figure { margin: 24px 0; }
        img.chart { width: 100%; height: auto; border: 1px solid var(--line); }
        figcaption { color: var(--muted); font-size: 14px; margin-top: 6px; }
        .look { display: block; color: var(--ink); margin-top: 2px; }
        .file { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; margin-left: 6px; }
        .skipped { color: var(--muted); font-size: 14px; border-left: 3px solid var(--line); padding-left: 12px; }
        pre.yaml { background: var(--band); border: 1px solid var(--line); padding: 12px; overflow-x: auto; font-size: 13px; }
        details { margin: 8px 0; }
        summary { cursor: pointer; color: var(--accent); }
        .note { color: var(--muted); font-size: 14px; }

        """;
}
