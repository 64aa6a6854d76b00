using System.Text.RegularExpressions;
using Lab.Reports.Charts;
using Lab.Reports.Html;
using Lab.Reports.Statistics;

namespace Lab.Reports.Tests;

/// <summary>How metric names read to a person comes from one table (<see cref="MetricLabels"/>), used by charts, the headline and the narrative.</summary>
public class MetricLabelsTests
{
    [Fact]
    public void Every_unit_of_the_table_gives_the_title_the_words_and_the_value()
    {
        foreach (var unit in MetricLabels.Units)
        {
            var metric = "queue_wait" + unit.Suffix;
            Assert.Equal($"Queue wait ({unit.Title})", MetricLabels.Title(metric));
            Assert.Equal("Queue wait", MetricLabels.Words(metric));
            Assert.Equal(unit.Format(1234.5), MetricLabels.Format(metric, 1234.5));
            Assert.Equal(unit.Suffix == "_s", MetricLabels.IsSeconds(metric));
        }
        Assert.Equal("Queue wait", MetricLabels.Title("queue_wait"));
        Assert.Equal("1,234", MetricLabels.Format("queue_wait", 1234.5));
        Assert.Equal("Rumours heard (per s)", MetricLabels.Title("rumours_heard_per_s")); // _per_s, not _s
        Assert.Equal("45 ms", MetricLabels.Format("commit_latency_s", 0.045));
        Assert.Equal("Messages", MetricLabels.Title("messages_total")); // from the table of names
    }

    [Fact]
    public void The_headline_the_narrative_and_the_charts_name_metrics_from_the_table()
    {
        var result = Results.GossipSweep(["latency-p99-vs-nodes"]);
        var summary = ExperimentSummary.Of(result);
        const string rate = "rumours_heard_per_s", latency = "rumour_latency_s";
        Assert.Equal(
            [MetricLabels.Title(rate), $"{MetricLabels.Words(latency)} p50", $"{MetricLabels.Words(latency)} p99", MetricLabels.Title("messages_total")],
            Headline.Columns(result, summary).Select(c => c.Title));
        Assert.Contains($"p99 {MetricLabels.Words(latency).ToLowerInvariant()} grew from", string.Join(" ", Narrative.Sentences(result, summary)), StringComparison.Ordinal);
        Assert.Equal($"{MetricLabels.Words(latency)} (p99) vs nodes", ChartCatalog.Build(result, summary).Charts.Single().Title);
    }

    [Fact]
    public void No_other_source_file_spells_a_unit_suffix()
    {
        var suffixes = string.Join("|", MetricLabels.Units.Select(u => Regex.Escape(u.Suffix)));
        var literal = new Regex($"\"({suffixes})\"", RegexOptions.CultureInvariant);
        var src = Path.Combine(Root(), "src");
        var offenders = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && Path.GetFileName(f) != "MetricLabels.cs")
            .Where(f => literal.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(src, f)).ToList();
        Assert.True(offenders.Count == 0, "unit suffixes outside MetricLabels: " + string.Join(", ", offenders));
    }

    private static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Lab.sln"))) return d.FullName;
        throw new InvalidOperationException("Lab.sln not found");
    }
}
