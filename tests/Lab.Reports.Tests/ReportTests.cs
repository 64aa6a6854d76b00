using System.Text.RegularExpressions;
using Lab.Reports.Html;

namespace Lab.Reports.Tests;

public sealed class ReportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lab-reports-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly KeyValuePair<string, string>[] Provenance = [new("lab version", "0.1.0-test"), new("git commit", "abc1234")];

    [Fact]
    public void WriteAll_writes_summary_metrics_charts_and_report()
    {
        ReportWriter.WriteAll(Results.Settlement(50), _folder, Provenance);
        Assert.True(File.Exists(Path.Combine(_folder, "summary.json")));
        Assert.Equal(["faults.csv", "faults.parquet", "findings.csv", "findings.parquet", "points.csv", "points.parquet", "samples.csv", "samples.parquet", "scalars.csv", "scalars.parquet", "series.csv", "series.parquet"],
            Directory.GetFiles(Path.Combine(_folder, "metrics")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var charts = Directory.GetFiles(Path.Combine(_folder, "charts")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["exposure.png", "exposure.svg", "liquidity.png", "liquidity.svg", "settlement-time.png", "settlement-time.svg",
            "throughput-over-time.png", "throughput-over-time.svg", "trade-timeline.png", "trade-timeline.svg"], charts);
        Assert.All(charts, c => Assert.True(new FileInfo(Path.Combine(_folder, "charts", c!)).Length > 1000));
    }

    [Fact]
    public void A_table_that_cannot_be_written_fails_the_report_with_its_own_io_error()
    {
        // metrics/ is written beside the charts on another thread: its failure must still reach the caller as the
        // IOException the results folder turns into "cannot write the results", not wrapped in an AggregateException.
        File.WriteAllText(Path.Combine(_folder, "metrics"), "a file where the metrics folder goes");
        Assert.ThrowsAny<IOException>(() => ReportWriter.WriteAll(Results.Settlement(50), _folder, Provenance));
    }

    [Fact]
    public void The_report_holds_the_story_tables_charts_findings_yaml_and_provenance()
    {
        var outcome = ReportWriter.Write(Results.Settlement(50), _folder, Provenance);
        var html = File.ReadAllText(Path.Combine(_folder, "report.html"));
        Assert.Contains("<h1>t1-vs-onchain</h1>", html, StringComparison.Ordinal);
        Assert.Contains("The same trades settled T+1 with CCP netting", html, StringComparison.Ordinal);
        // The plain-language summary comes from the numbers: 18 h median under T+1, seconds on-chain.
        Assert.Matches(@"T\+1: .*the median settlement time was 1\d(\.\d+)? h", html);
        Assert.Matches(@"On-chain: .*the median settlement time was 2\.\d+ s", html);
        Assert.Contains("1 safety violation found (on-chain)", html, StringComparison.Ordinal);
        // Headline table: one row per variant.
        Assert.Matches(@"<section id=""headline"">.*<td>t\+1</td>.*<td>on-chain</td>", html.Replace("\n", " "));
        // Every chart embedded as a PNG data URI, none linked.
        Assert.Equal(outcome.Charts.Count, Regex.Matches(html, "<img class=\"chart\"[^>]*src=\"data:image/png;base64,[A-Za-z0-9+/=]{1000,}\"").Count);
        Assert.Equal(5, outcome.Charts.Count);
        Assert.Contains("height 7: n1 committed ab12", html, StringComparison.Ordinal);
        Assert.Contains("variants:\n  t+1: {}", html, StringComparison.Ordinal);
        Assert.Contains("<th>git commit</th><td>abc1234</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_needs_nothing_from_outside_the_file()
    {
        ReportWriter.WriteAll(Results.GossipSweep(), _folder, Provenance);
        var html = File.ReadAllText(Path.Combine(_folder, "report.html"));
        Assert.DoesNotMatch(@"(src|href)\s*=\s*""(?!data:)", html);
        Assert.DoesNotMatch(@"@import|url\(", html);
        // Scripts: only inline ones, each named by its hash in a policy that allows no network and nothing inline by default.
        var policy = Regex.Match(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").Groups[1].Value;
        Assert.StartsWith("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline'", policy[policy.IndexOf("script-src", StringComparison.Ordinal)..], StringComparison.Ordinal);
        var scripts = Regex.Matches(html, "<script( type=\"application/json\" id=\"lab-chart-data\")?>(.*?)</script>", RegexOptions.Singleline);
        Assert.Equal(Regex.Matches(html, "<script").Count, scripts.Count);
        var code = scripts.Where(m => !m.Groups[1].Success).Select(m => m.Groups[2].Value).ToList();
        Assert.Equal(2, code.Count); // uPlot and the page's own
        Assert.Equal(string.Join(' ', code.Select(InteractiveCharts.Sha256Source)), policy[(policy.IndexOf("script-src ", StringComparison.Ordinal) + "script-src ".Length)..]);
    }

    [Fact]
    public void The_report_is_byte_identical_for_equal_results()
    {
        var a = Directory.CreateDirectory(Path.Combine(_folder, "a")).FullName;
        var b = Directory.CreateDirectory(Path.Combine(_folder, "b")).FullName;
        ReportWriter.WriteAll(Results.Settlement(200), a, Provenance);
        ReportWriter.WriteAll(Results.Settlement(200), b, Provenance);
        var html = File.ReadAllBytes(Path.Combine(a, "report.html"));
        Assert.Contains("lab-chart-data", System.Text.Encoding.UTF8.GetString(html), StringComparison.Ordinal);
        Assert.Equal(html, File.ReadAllBytes(Path.Combine(b, "report.html")));
    }

    [Fact]
    public void Thinning_a_long_line_keeps_its_peaks_and_dips_and_both_ends()
    {
        var xs = Enumerable.Range(0, 100_000).Select(i => (double)i).ToArray();
        var ys = xs.Select(x => x == 31_337 ? 1000 : x == 77_777 ? -1000 : Math.Sin(x / 5000)).ToArray();
        var (tx, ty) = InteractiveCharts.Thin(xs, ys, 2_000);
        Assert.InRange(tx.Length, 100, 2_000);
        Assert.Equal([0.0, 99_999.0], [tx[0], tx[^1]]);
        Assert.Contains(1000.0, ty);
        Assert.Contains(-1000.0, ty);
        Assert.Equal(tx.Order().ToArray(), tx);

        // Flat stretches lose their inner points only: every change of level keeps both its sides.
        var (fx, fy) = InteractiveCharts.DropFlat([0, 1, 2, 3, 4, 5, 6], [5, 5, 5, 7, 7, 7, 7]);
        Assert.Equal([0.0, 2, 3, 6], fx);
        Assert.Equal([5.0, 5, 7, 7], fy);
    }

    [Fact]
    public void Text_from_the_experiment_is_escaped()
    {
        var result = Results.Counters("x", 1) with { Name = "<b>bold</b>", SourceYaml = "description: \"<script>alert(1)</script>\"" };
        ReportWriter.WriteAll(result, _folder, Provenance);
        var html = File.ReadAllText(Path.Combine(_folder, "report.html"));
        Assert.DoesNotContain("<b>bold</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    private static string WriteReport(ExperimentResult result, string folder)
    {
        ReportWriter.Write(result, folder, Provenance);
        return File.ReadAllText(Path.Combine(folder, "report.html"));
    }

    [Fact]
    public void A_followed_trade_is_a_table_in_time_order_with_its_data_and_script_and_none_without_one()
    {
        var html = WriteReport(Results.Settlement(50) with { Follow = Results.Journeys() }, _folder);
        var section = Regex.Match(html, "<section id=\"follow\">.*?</section>", RegexOptions.Singleline).Value;
        Assert.Contains("<h2>Follow one trade</h2>", section, StringComparison.Ordinal);
        Assert.Contains("local times in America/New_York", section, StringComparison.Ordinal);
        Assert.Contains("Executed on a Friday &lt;afternoon&gt;.", section, StringComparison.Ordinal);
        // The default pick's five steps, both lanes merged in time order, with the time since the first.
        var rows = Regex.Matches(section, "<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>").Select(m => (m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value)).ToList();
        Assert.Equal([("+0 s", "t+1", "Executed"), ("+0 s", "on-chain", "Executed"), ("+0.2 s", "on-chain", "Final"), ("+0.5 s", "t+1", "Novated"), ("+3.1 d", "t+1", "Settled")], rows);
        // The data block (script-safe) and the script, named by its hash in the policy.
        Assert.Contains("id=\"lab-follow-data\">{\"noun\":\"trade\"", html, StringComparison.Ordinal);
        Assert.Contains("\\u003Cafternoon\\u003E", html, StringComparison.Ordinal);
        Assert.Contains(InteractiveCharts.Sha256Source(FollowOneTrade.Script), html, StringComparison.Ordinal);
        Assert.Contains(FollowOneTrade.Script, html, StringComparison.Ordinal);

        var plain = WriteReport(Results.Settlement(50), Directory.CreateDirectory(Path.Combine(_folder, "plain")).FullName);
        Assert.DoesNotContain("id=\"follow\"", plain, StringComparison.Ordinal);
        Assert.DoesNotContain(FollowOneTrade.Script, plain, StringComparison.Ordinal);
    }
}

public sealed class EdgeCaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lab-edge-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void An_experiment_without_points_or_metrics_still_gets_a_report()
    {
        var empty = Results.Counters("x") with { Charts = ["throughput-over-time", "latency-cdf"] };
        var outcome = ReportWriter.Write(empty, _folder, []);
        Assert.Empty(outcome.Charts);
        Assert.Equal(2, outcome.SkippedCharts.Count);
        Assert.Contains("\"replications\": 0", File.ReadAllText(Path.Combine(_folder, "summary.json")), StringComparison.Ordinal);
        Assert.Contains("No chart could be drawn", File.ReadAllText(Path.Combine(_folder, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_values_are_written_as_null_in_json_and_empty_in_csv()
    {
        var result = Results.Counters("ratio", double.NaN);
        ReportWriter.WriteAll(result, _folder, []);
        Assert.Contains("\"ratio\": {\n          \"mean\": null", File.ReadAllText(Path.Combine(_folder, "summary.json")), StringComparison.Ordinal);
        Assert.Contains("0,only,0,0,ratio,,\n", File.ReadAllText(Path.Combine(_folder, "metrics", "scalars.csv")), StringComparison.Ordinal);
    }

}
