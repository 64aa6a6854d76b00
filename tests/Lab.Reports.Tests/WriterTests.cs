using System.Text;
using System.Text.Json;
using Lab.Reports.Statistics;
using Lab.Reports.Writers;
using Lab.Sim.Metrics;
using Lab.Sim.Time;

namespace Lab.Reports.Tests;

public class WriterTests
{
    [Fact]
    public void Summary_json_has_the_documented_shape_and_number_format()
    {
        var text = SummaryJson.ToText(ExperimentSummary.Of(Results.Counters("x_total", 0.1)));
        Assert.Equal("""
            {
              "experiment": "counters",
              "seed": 1,
              "points": [
                {
                  "variant": "only",
                  "parameters": {},
                  "replications": 1,
                  "metrics": {
                    "bytes_total": {
                      "mean": 0,
                      "ci95_low": 0,
                      "ci95_high": 0,
                      "p50": 0,
                      "p90": 0,
                      "p99": 0,
                      "max": 0,
                      "n": 1
                    },
                    "events_total": {
                      "mean": 0,
                      "ci95_low": 0,
                      "ci95_high": 0,
                      "p50": 0,
                      "p90": 0,
                      "p99": 0,
                      "max": 0,
                      "n": 1
                    },
                    "messages_dropped": {
                      "mean": 0,
                      "ci95_low": 0,
                      "ci95_high": 0,
                      "p50": 0,
                      "p90": 0,
                      "p99": 0,
                      "max": 0,
                      "n": 1
                    },
                    "messages_total": {
                      "mean": 0,
                      "ci95_low": 0,
                      "ci95_high": 0,
                      "p50": 0,
                      "p90": 0,
                      "p99": 0,
                      "max": 0,
                      "n": 1
                    },
                    "x_total": {
                      "mean": 0.1,
                      "ci95_low": 0.1,
                      "ci95_high": 0.1,
                      "p50": 0.1,
                      "p90": 0.1,
                      "p99": 0.1,
                      "max": 0.1,
                      "n": 1
                    }
                  },
                  "findings_total": 0,
                  "findings": []
                }
              ]
            }

            """, text);
    }

    [Fact]
    public void Summary_json_lists_points_parameters_and_findings_in_order()
    {
        using var doc = JsonDocument.Parse(SummaryJson.Serialize(ExperimentSummary.Of(Results.Settlement(20))));
        var root = doc.RootElement;
        Assert.Equal(["experiment", "seed", "points"], root.EnumerateObject().Select(p => p.Name));
        var point = root.GetProperty("points")[1];
        Assert.Equal(["variant", "parameters", "replications", "metrics", "findings_total", "findings"], point.EnumerateObject().Select(p => p.Name));
        Assert.Equal("on-chain", point.GetProperty("variant").GetString());
        var names = point.GetProperty("metrics").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("settlement_time_s", names);
        Assert.Equal(["mean", "ci95_low", "ci95_high", "p50", "p90", "p99", "max", "n"],
            point.GetProperty("metrics").GetProperty("settlement_time_s").EnumerateObject().Select(p => p.Name));
        var finding = point.GetProperty("findings")[0];
        Assert.Equal("safety_violation", finding.GetProperty("kind").GetString());
        Assert.Equal(10800, finding.GetProperty("time_s").GetDouble());
    }

    [Fact]
    public void Summary_and_metrics_are_byte_identical_for_equal_results()
    {
        var a = Results.GossipSweep();
        var b = Results.GossipSweep();
        var sa = ExperimentSummary.Of(a);
        var sb = ExperimentSummary.Of(b);
        Assert.Equal(SummaryJson.Serialize(sa), SummaryJson.Serialize(sb));
        var fa = MetricsCsv.Files(a, sa);
        var fb = MetricsCsv.Files(b, sb);
        Assert.Equal(fa.Keys, fb.Keys);
        foreach (var k in fa.Keys) Assert.True(fa[k].AsSpan().SequenceEqual(fb[k]), $"{k} differs");
        // And a different seed does change them (the comparison can fail).
        Assert.NotEqual(SummaryJson.Serialize(sa), SummaryJson.Serialize(ExperimentSummary.Of(a with { Points = [a.Points[0] with { Replications = [Results.Gossip(0, 555, 6, 2, 8)] }] })));
    }

    [Fact]
    public void Written_files_are_utf8_without_bom_and_use_newline_line_ends()
    {
        var result = Results.Settlement(20);
        var summary = ExperimentSummary.Of(result);
        foreach (var bytes in MetricsCsv.Files(result, summary).Values.Append(SummaryJson.Serialize(summary)))
        {
            Assert.NotEqual(0xEF, bytes[0]);
            Assert.DoesNotContain((byte)'\r', bytes);
        }
    }

    [Fact]
    public void Csv_files_are_tidy_long_tables()
    {
        var result = Results.Settlement(20);
        var files = MetricsCsv.Files(result, ExperimentSummary.Of(result));
        Assert.Equal(["faults.csv", "findings.csv", "points.csv", "samples.csv", "scalars.csv", "series.csv"], files.Keys);
        foreach (var name in new[] { "faults.csv", "findings.csv", "samples.csv", "scalars.csv", "series.csv" })
        {
            var lines = Lines(files[name]);
            Assert.Equal("run,variant,point,replication,metric,time,value", lines[0]);
            Assert.All(lines.Skip(1), l => Assert.Equal(7, SplitCsv(l).Count));
        }
        var series = Lines(files["series.csv"]);
        // 2 variants × 3 replications × (48 exposure + 48 committed_tx bins).
        Assert.Equal(1 + 2 * 3 * 96, series.Count);
        Assert.Equal("0,t+1,0,0,committed_tx,0,100", series[1]);
        Assert.Equal("0,t+1,0,0,committed_tx,3600,101", series[2]); // time = bin start in seconds (bins of 1 h)
        Assert.Equal("3,on-chain,1,0,committed_tx,0,100", series.First(l => l.StartsWith("3,", StringComparison.Ordinal)));
        var faults = Lines(files["faults.csv"]);
        Assert.Equal("0,t+1,0,0,crash n1,36000,7200", faults[1]);
        var findings = Lines(files["findings.csv"]);
        Assert.Equal("4,on-chain,1,1,safety_violation,10800,\"height 7: n1 committed ab12 at 3h, n4 committed cd34 at 3h\"", findings[1]);
        Assert.Contains("0,t+1,0,0,liquidity_needed_gross.m01,,2000000", Lines(files["scalars.csv"]));
        Assert.Equal(["point,variant,replications,parameter,value", "0,t+1,3,,", "1,on-chain,3,,"], Lines(files["points.csv"]));
    }

    [Fact]
    public void Samples_are_capped_per_run_by_even_spacing()
    {
        var result = Results.Counters("c", 1);
        var samples = Enumerable.Range(0, 25_000).Select(i => (double)i).ToArray();
        result.Points[0].Replications[0].Metrics.Samples["lat_s"] = samples;
        var summary = ExperimentSummary.Of(result);
        var lines = Lines(MetricsCsv.Files(result, summary)["samples.csv"]);
        Assert.Equal(1 + MetricsCsv.SamplesPerRun, lines.Count);
        Assert.Equal("0,only,0,0,lat_s,,0", lines[1]);
        Assert.Equal("0,only,0,0,lat_s,,2", lines[2]); // every 2.5th sample: indices 0, 2, 5, 7, …
        Assert.Equal("0,only,0,0,lat_s,,5", lines[3]);
        // The summary still uses every sample.
        Assert.Equal(24_999, summary.Points[0].Metrics["lat_s"].Max);
    }

    internal static List<string> Lines(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    internal static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
