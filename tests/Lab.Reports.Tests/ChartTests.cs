using System.Text;
using Lab.Reports.Charts;
using Lab.Reports.Statistics;

namespace Lab.Reports.Tests;

public class ChartTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static ChartSet Charts(ExperimentResult result) => ChartCatalog.Build(result, ExperimentSummary.Of(result));

    [Fact]
    public void Requested_charts_are_drawn_as_png_and_svg_under_their_names()
    {
        var set = Charts(Results.GossipSweep(["throughput-over-time", "latency-cdf", "throughput-vs-nodes", "latency-p99-vs-nodes", "cpu-per-node"]));
        Assert.Equal(["throughput-over-time", "latency-cdf", "throughput-vs-nodes", "latency-p99-vs-nodes", "cpu-per-node"], set.Charts.Select(c => c.Name));
        Assert.Empty(set.Skipped);
        foreach (var c in set.Charts)
        {
            Assert.True(c.Png.Length > 5_000, $"{c.Name}.png is only {c.Png.Length} bytes");
            Assert.Equal(PngSignature, c.Png.Take(8));
            Assert.Contains("<svg", c.Svg, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(c.Caption));
        }
    }

    [Fact]
    public void Unknown_or_unfeedable_charts_are_skipped_with_a_reason()
    {
        var set = Charts(Results.GossipSweep(["no-such-chart", "settlement-time", "latency-p99-vs-region", "../../etc/passwd", "latency-cdf"]));
        Assert.Equal(["latency-cdf"], set.Charts.Select(c => c.Name));
        Assert.Equal(4, set.Skipped.Count);
        Assert.Contains(set.Skipped, s => s.StartsWith("no-such-chart: no chart of that name", StringComparison.Ordinal));
        Assert.Contains(set.Skipped, s => s.StartsWith("settlement-time: no sample metric matching 'settlement'", StringComparison.Ordinal));
        Assert.Contains(set.Skipped, s => s.StartsWith("latency-p99-vs-region: no sweep axis matching 'region'", StringComparison.Ordinal));
        Assert.Contains(set.Skipped, s => s.StartsWith("../../etc/passwd: not a chart name", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_requested_charts_sensible_ones_are_picked_from_the_metrics()
    {
        Assert.Equal(["throughput-over-time", "latency-cdf", "throughput-vs-nodes", "latency-p99-vs-nodes"], Charts(Results.GossipSweep()).Charts.Select(c => c.Name));
        Assert.Equal(["throughput-over-time", "settlement-time", "exposure", "liquidity", "trade-timeline"], Charts(Results.Settlement(50)).Charts.Select(c => c.Name));
    }

    [Fact]
    public void Settlement_time_uses_a_log_axis_labelled_in_seconds_to_days()
    {
        var chart = Charts(Results.Settlement(50) with { Charts = ["settlement-time"] }).Charts.Single();
        Assert.Contains("log", chart.Caption, StringComparison.Ordinal);
        Assert.Equal(["1 s", "1 min", "1 h", "1 d"], new[] { "1 s", "1 min", "1 h", "1 d" }.Where(label => SvgHasText(chart.Svg, label)));
    }

    [Fact]
    public void The_embedded_font_answers_every_font_request()
    {
        ChartFonts.Register();
        using var face = ScottPlot.Fonts.GetTypeface("Some Font Nobody Has", bold: false, italic: false);
        Assert.Equal(ChartFonts.Family, face.FamilyName);
        Assert.Equal(ChartFonts.Family, ScottPlot.Fonts.Default);
    }

    [Fact]
    public void Log_time_labels_read_as_durations()
    {
        Assert.Equal("45 ms", TimeAxis.Humanise(0.045));
        Assert.Equal("1.2 s", TimeAxis.Humanise(1.2));
        Assert.Equal("18.4 h", TimeAxis.Humanise(18.4 * 3600));
        Assert.Equal("1,950", TimeAxis.Significant(1950.4));
        Assert.Equal("0.0123", TimeAxis.Significant(0.012345));
    }

    /// <summary>Skia's SVG writes text as &lt;text&gt; elements (glyphs may be split into tspans): look for the label's characters in order.</summary>
    private static bool SvgHasText(string svg, string label)
    {
        var text = new StringBuilder();
        var inTag = false;
        foreach (var c in svg)
        {
            if (c == '<') inTag = true;
            else if (c == '>') inTag = false;
            else if (!inTag) text.Append(c);
        }
        return text.ToString().Replace("&#32;", " ").Contains(label, StringComparison.Ordinal)
            || svg.Contains(label.Replace(" ", "&#32;"), StringComparison.Ordinal);
    }
}
