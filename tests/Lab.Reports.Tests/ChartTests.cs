using System.Text;
using Lab.Reports.Charts;
using Lab.Reports.Statistics;
using Lab.Sim.Metrics;
using Lab.Sim.Time;

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
        foreach (var c in set.Charts) AssertDrawn(c);
    }

    [Fact]
    public void Unknown_or_unfeedable_charts_are_skipped_with_a_reason()
    {
        var set = Charts(Results.GossipSweep(["no-such-chart", "settlement-time", "latency-p99-vs-region", "../../etc/passwd", "latency-cdf"]));
        Assert.Equal(["latency-cdf"], set.Charts.Select(c => c.Name));
        Assert.Equal(4, set.Skipped.Count);
        Assert.Contains(set.Skipped, s => s.StartsWith("no-such-chart: no chart of that name", StringComparison.Ordinal));
        Assert.Contains(set.Skipped, s => s.StartsWith("settlement-time: no sample metric 'settlement_time'", StringComparison.Ordinal));
        Assert.Contains(set.Skipped, s => s.StartsWith("latency-p99-vs-region: no sweep axis 'region'", StringComparison.Ordinal));
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

    // ---- each kind from plain data -------------------------------------------------------------

    /// <summary>Every kind, made from its record (names only) and drawn from hand-made results: numbers and names, no run.</summary>
    public static TheoryData<string> Kinds() => ["time series", "distribution", "sweep", "bars", "timeline", "per node"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_chart_kind_draws_from_plain_data(string kind)
    {
        var (chart, title, legend) = kind switch
        {
            "time series" => ((Chart)new TimeSeriesChart("queue", "queue_length", null), "Queue length over time", "nodes=4"),
            "distribution" => (new DistributionChart("wait", "wait_s", null), "Wait: cumulative distribution", "nodes=4"),
            "sweep" => (new SweepChart("wait-p99-vs-nodes", "wait_s", "p99", "chain.nodes"), "Wait (p99) vs nodes", "chain.nodes"),
            "bars" => (new BarChart("fees", "fee", ["fee_base", "fee_tip"]), "Fee", "fee_base"),
            "timeline" => (new TimelineChart("job-timeline", "job_start_s", "job_end_s"), "Job timeline", "plain"),
            _ => (new PerNodeChart("blocks-per-node", "blocks"), "Blocks per node", "n1"),
        };
        var result = PlainData();
        var image = chart.Draw(result, ExperimentSummary.Of(result), out var why);
        Assert.True(image is not null, why);
        AssertDrawn(image);
        Assert.Equal(title, image.Title);
        Assert.True(SvgHasText(image.Svg, title), $"the title '{title}' is not in the SVG");
        Assert.True(SvgHasText(image.Svg, legend), $"'{legend}' (a label, tick or legend entry) is not in the SVG");
        Assert.NotEmpty(chart.Draws);
    }

    [Fact]
    public void Each_renderer_draws_from_arrays_and_labels_alone()
    {
        var line = new ChartLine("only", [0, 1, 2], [1, 3, 2], [0.5, 2, 1], [1.5, 4, 3]);
        ChartImage[] images =
        [
            TimeSeriesChart.Render("a", "A", "y", [line], [new ShadedWindow(0.5, 1, "crash")], "c"),
            DistributionChart.Render("b", "B", "x", [new ChartDistribution("d", [3, 1, 2])], logTime: false, "c"),
            SweepChart.Render("c", "C", "x", "y", [line], ["low", "mid", "high"], "c"),
            BarChart.Render("d", "D", "y", ["m1", "m2"], [new BarGroup("g", [1, 2])], "c"),
            TimelineChart.Render("e", "E", [new TimelineGroup("t", [new TimelineItem(0, 5)])], "c"),
        ];
        foreach (var image in images) AssertDrawn(image);
        Assert.True(SvgHasText(images[2].Svg, "mid"), "category ticks are drawn");
    }

    /// <summary>One variant swept over two node counts, two runs each: a series, samples, per-node values, paired samples.</summary>
    private static ExperimentResult PlainData()
    {
        PointResult Point(int nodes) => new()
        {
            Variant = "plain",
            Parameters = [new("chain.nodes", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            Replications = [.. Enumerable.Range(0, 2).Select(r =>
            {
                var m = new RunMetrics(Duration.FromSeconds(1));
                m.Series["queue_length"] = [.. Enumerable.Range(0, 10).Select(i => (double)(i + r + nodes))];
                m.Samples["wait_s"] = [.. Enumerable.Range(1, 50).Select(i => i * 0.01 * nodes)];
                m.Samples["job_start_s"] = [1, 2, 3];
                m.Samples["job_end_s"] = [4, 5, 6];
                m.Scalars["fee_base"] = 2 + r;
                m.Scalars["fee_tip"] = 1;
                for (int n = 0; n < nodes; n++) m.Scalars[$"blocks.n{n}"] = 10 + n;
                return new ReplicationResult { Index = r, Seed = (ulong)r, Metrics = m, Stats = Results.EmptyStats(10) };
            })],
        };
        return new ExperimentResult
        {
            Name = "plain", Seed = 1, SourceYaml = "", ResolvedYaml = "", SweepAxes = ["chain.nodes"],
            Points = [Point(4), Point(8)],
        };
    }

    // ---- names to metrics, by exact rules ------------------------------------------------------

    private static ChartVocabulary Vocabulary(IReadOnlyList<MetricWord> words, params string[] samples)
    {
        var result = new ExperimentResult
        {
            Name = "v", Seed = 1, SourceYaml = "", ResolvedYaml = "", Words = words,
            Points =
            [
                new PointResult
                {
                    Variant = "only", Parameters = [],
                    Replications = [new ReplicationResult
                    {
                        Index = 0, Seed = 0, Stats = Results.EmptyStats(1),
                        Metrics = Results.Metrics(m => { foreach (var s in samples) m.Samples[s] = [1, 2]; }),
                    }],
                },
            ],
        };
        return ChartVocabulary.Of(result, ExperimentSummary.Of(result));
    }

    [Fact]
    public void A_word_means_what_the_model_says_it_means_and_nothing_else()
    {
        // Sorted first, a_latency_s is what a "contains latency" guess picks; the model says latency is rumour_latency_s.
        var v = Vocabulary([new(MetricWord.Latency, "rumour_latency_s")], "a_latency_s", "rumour_latency_s");
        Assert.Equal("rumour_latency_s", v.Find("latency", MetricShape.Samples).Metric);
        var guessless = Vocabulary([], "a_latency_s", "rumour_latency_s").Find("latency", MetricShape.Samples);
        Assert.Null(guessless.Metric);
        Assert.Equal("latency", guessless.Wanted);
        Assert.Equal(["a_latency_s", "rumour_latency_s"], guessless.Existing);
    }

    [Fact]
    public void A_prefix_or_a_part_of_a_name_finds_nothing()
    {
        var v = Vocabulary([], "commit_latency_s");
        Assert.Null(v.Find("commit", MetricShape.Samples).Metric);
        Assert.Null(v.Find("latency-s", MetricShape.Samples).Metric);
        Assert.Equal("commit_latency_s", v.Find("commit-latency-s", MetricShape.Samples).Metric);
        Assert.Equal("commit_latency_s", v.Find("commit_latency_s", MetricShape.Samples).Metric);
    }

    [Fact]
    public void A_name_may_leave_its_unit_off_unless_two_units_fit()
    {
        Assert.Equal("settlement_time_s", Vocabulary([], "settlement_time_s").Find("settlement-time", MetricShape.Samples).Metric);
        var two = Vocabulary([], "wait_s", "wait_ms").Find("wait", MetricShape.Samples);
        Assert.Null(two.Metric);
        Assert.Contains("wait_ms or wait_s", two.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_word_two_models_define_differently_is_ambiguous()
    {
        var v = Vocabulary([new(MetricWord.Latency, "commit_latency_s"), new(MetricWord.Latency, "rumour_latency_s")], "commit_latency_s", "rumour_latency_s");
        var found = v.Find("latency", MetricShape.Samples);
        Assert.Null(found.Metric);
        Assert.Contains("commit_latency_s or rumour_latency_s", found.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Declared_names_with_placeholders_stand_for_families()
    {
        var v = ChartVocabulary.Declared(["commits.<node>", "exposure_<ccy>", "throughput_tps"], [], ["chain.nodes"]);
        Assert.Equal("commits-per-node", ChartCatalog.Plan("commits-per-node", v).Chart?.Name);
        Assert.Equal("exposure_cny", v.Find("exposure-cny", MetricShape.Series).Metric);
        Assert.NotNull(ChartCatalog.Plan("throughput-vs-nodes", v).Chart);
        Assert.Equal("no per-node metric 'votes.<node>'", ChartCatalog.Plan("votes-per-node", v).Problem);
        Assert.Equal("no sweep axis 'rate' (axes: chain.nodes)", ChartCatalog.Plan("throughput-vs-rate", v).Problem);
    }

    [Fact]
    public void Each_chart_says_exactly_which_metrics_it_draws()
    {
        var result = Results.GossipSweep();
        var v = ChartVocabulary.Of(result, ExperimentSummary.Of(result));
        Assert.Equal(["rumours_heard"], ChartCatalog.Plan("throughput-over-time", v).Chart!.Draws);
        Assert.Equal(["rumour_latency_s"], ChartCatalog.Plan("latency-cdf", v).Chart!.Draws);
        Assert.Equal(["rumour_latency_s"], ChartCatalog.Plan("latency-p99-vs-nodes", v).Chart!.Draws);
        Assert.Equal(["rumours_heard_per_s"], ChartCatalog.Plan("throughput-vs-nodes", v).Chart!.Draws);
        Assert.Equal("chain.nodes", ((SweepChart)ChartCatalog.Plan("throughput-vs-nodes", v).Chart!).Axis);
    }

    // ---- fonts and time labels -----------------------------------------------------------------

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

    private static void AssertDrawn(ChartImage c)
    {
        Assert.True(c.Png.Length > 5_000, $"{c.Name}.png is only {c.Png.Length} bytes");
        Assert.Equal(PngSignature, c.Png.Take(8));
        Assert.Contains("<svg", c.Svg, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(c.Caption));
    }

    /// <summary>Skia's SVG writes text as &lt;text&gt; elements (glyphs may be split into tspans): look for the label's characters in order.</summary>
    internal static bool SvgHasText(string svg, string label)
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
