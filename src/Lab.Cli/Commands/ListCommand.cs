using Lab.Experiments.Models;
using Lab.Experiments.Network;
using Lab.Experiments.Values;
using Lab.Reports;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary><c>lab list [what]</c>.</summary>
public static class ListCommand
{
    private static readonly string[] Topics = ["protocols", "scenarios", "networks", "distributions", "metrics"];

    public static int Execute(CliApp app, string[] args)
    {
        var o = Options.Parse(args, new HashSet<string>(), new HashSet<string> { "--help", "-h" });
        if (o.Has("--help") || o.Has("-h")) { Help.List(app.Output); return ExitCode.Ok; }
        if (o.Positionals.Count > 1) throw new UsageException("list takes at most one topic");
        var topic = o.Positionals.FirstOrDefault();
        if (topic is not null && !Topics.Contains(topic))
        {
            var hint = Experiments.Schema.Suggest.Closest(topic, Topics);
            throw new UsageException($"cannot list '{topic}': use {string.Join(", ", Topics)}" + (hint is null ? "" : $" (did you mean '{hint}'?)"));
        }
        var c = app.Output;
        foreach (var t in topic is null ? Topics : [topic])
        {
            var table = new Table().Title(t).AddColumn("name").AddColumn("description");
            switch (t)
            {
                case "protocols": foreach (var m in app.Registry.Protocols) table.AddRow(m.Name, Markup.Escape(m.Description)); break;
                case "scenarios": foreach (var m in app.Registry.Scenarios) table.AddRow(m.Name, Markup.Escape(m.Description)); break;
                case "networks":
                    var presets = NetworkPresets.For(Directory.GetCurrentDirectory());
                    foreach (var name in presets.Names) table.AddRow(name, Markup.Escape(PresetDescription(presets.PathOf(name)!)));
                    break;
                case "distributions": foreach (var d in DistributionParser.All) table.AddRow(Markup.Escape(d.Syntax), Markup.Escape(d.Description)); break;
                case "metrics":
                    foreach (var m in MetricCatalog.EveryRun) table.AddRow(m.Name, Markup.Escape(m.Description + " (every run)"));
                    var chains = string.Join(", ", app.Registry.Protocols.OfType<IChainModel>().Select(p => p.Name));
                    foreach (var m in MetricCatalog.EveryChainRun)
                        table.AddRow(m.Name, Markup.Escape($"{m.Description}{WordOf(m, MetricCatalog.ChainWords)} (every chain run: {chains})"));
                    foreach (var model in app.Registry.Models)
                        foreach (var m in model.Metrics) table.AddRow(m.Name, Markup.Escape($"{m.Description}{WordOf(m, model.Words)} ({model.Name})"));
                    break;
            }
            if (table.Rows.Count == 0) table.AddRow("—", "none registered yet");
            c.Write(table);
        }
        return ExitCode.Ok;
    }

    /// <summary>"; 'latency' in chart names" when a word of the model means this metric.</summary>
    private static string WordOf(MetricInfo metric, IReadOnlyList<MetricWord> words) =>
        string.Concat(words.Where(w => w.Metric == metric.Name).Select(w => $"; '{w.Word}' in chart names"));

    private static string PresetDescription(string path)
    {
        foreach (var line in File.ReadLines(path))
            if (line.StartsWith("description:", StringComparison.Ordinal)) return line["description:".Length..].Trim();
        return "";
    }
}
