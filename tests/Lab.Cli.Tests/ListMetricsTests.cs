using Lab.Cli;
using Lab.Experiments.Models;
using Spectre.Console;

namespace Lab.Cli.Tests;

public class ListMetricsTests
{
    [Fact]
    public void List_metrics_prints_every_metric_of_the_catalog_with_the_bft_counters()
    {
        var o = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(o),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 1000; // one row per metric, names never wrapped
        Assert.Equal(ExitCode.Ok, new CliApp(console, console, interactive: false).Run(["list", "metrics"]));
        var rows = o.ToString().Split('\n').Select(l => l.Trim('│', ' ', '|')).ToList();
        var names = MetricCatalog.EveryRun.Concat(MetricCatalog.EveryChainRun).Concat(ModelRegistry.Default.Models.SelectMany(m => m.Metrics)).Select(m => m.Name).ToList();
        Assert.Contains("pbft_invalid_view_changes", names);
        Assert.Contains("hotstuff_unsafe_proposals", names);
        foreach (var name in names)
            Assert.True(rows.Any(r => r.StartsWith(name + " ", StringComparison.Ordinal)), $"lab list metrics has no row for {name}");
        Assert.Contains(rows, r => r.StartsWith("commit_latency_s ", StringComparison.Ordinal) && r.Contains("'latency' in chart names", StringComparison.Ordinal));
    }
}
