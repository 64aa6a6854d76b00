using System.Text.RegularExpressions;

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
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
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
