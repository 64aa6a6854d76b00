using Lab.Cli;
using Lab.Experiments.Models;
using Lab.Experiments.Schema;
using Lab.Reports;
using Lab.Sim.Nodes;
using Spectre.Console;

namespace Lab.Cli.Tests;

/// <summary>A failing run or an unexpected safety violation stops the experiment; finished points are kept, marked incomplete.</summary>
public class StoppedExperimentTests
{
    private static (int Code, string Out, string Err, string Folder) Run(string yaml)
    {
        var dir = Directory.CreateTempSubdirectory("lab-stop").FullName;
        File.WriteAllText(Path.Combine(dir, "e.yaml"), yaml);
        var o = new StringWriter();
        var e = new StringWriter();
        IAnsiConsole C(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(w), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        var summaries = 0;
        void Report(ExperimentResult r, string folder, IReadOnlyList<KeyValuePair<string, string>> p)
        {
            summaries = r.Points.Count;
            File.WriteAllText(Path.Combine(folder, "summary.json"), $"{{\"points\": {r.Points.Count}}}");
        }
        var app = new CliApp(C(o), C(e), false, ModelRegistry.Default.With(new Fragile()), Report);
        var code = app.Run(["run", Path.Combine(dir, "e.yaml"), "--out", Path.Combine(dir, "out"), "--parallel", "1", "--quiet"]);
        return (code, o.ToString(), e.ToString(), Path.Combine(dir, "out"));
    }

    [Fact]
    public void A_crashing_run_exits_1_and_keeps_the_points_that_finished()
    {
        var (code, output, err, outDir) = Run("name: s\nchain: { protocol: fragile }\nduration: 1s\nsweep:\n  chain.nodes: [2, 3, 4]\n");
        Assert.Equal(ExitCode.RunFailed, code);
        Assert.Contains("run failed", err);
        Assert.Contains("three nodes", err);
        var folder = output.Trim();
        Assert.EndsWith("-incomplete", folder);
        Assert.Equal("{\"points\": 1}", File.ReadAllText(Path.Combine(folder, "summary.json")));
        Assert.Contains("\"complete\": false", File.ReadAllText(Path.Combine(folder, "manifest.json")));
        Assert.Single(Directory.GetDirectories(Path.Combine(outDir, "s")));
    }

    [Fact]
    public void An_unexpected_safety_violation_exits_3()
    {
        var (code, _, err, _) = Run("name: s\nchain: { protocol: fragile, nodes: 5 }\nduration: 1s\n");
        Assert.Equal(ExitCode.SafetyViolated, code);
        Assert.Contains("safety violated", err);
    }

    [Fact]
    public void An_expected_safety_violation_is_a_result()
    {
        var (code, output, _, _) = Run("name: s\nchain: { protocol: fragile, nodes: 5 }\nduration: 1s\nexpect: { safety: violated }\n");
        Assert.Equal(ExitCode.Ok, code);
        Assert.DoesNotContain("incomplete", output);
    }

    /// <summary>Throws with three nodes, breaks safety with five, is fine otherwise.</summary>
    private sealed class Fragile : IModel
    {
        public string Name => "fragile";
        public ModelKind Kind => ModelKind.Protocol;
        public string Description => "test model";
        public IReadOnlyList<SchemaKey> Keys => [];
        public World Build(RunContext context)
        {
            var n = context.Config.Int("chain.nodes");
            var w = new World();
            for (int i = 0; i < n; i++) w.Nodes.Add(new($"n{i}", 0, "replica", () => new Node(n)));
            return w;
        }
    }

    private sealed class Node(int n) : INodeBehaviour
    {
        public void OnStart(INodeContext ctx)
        {
            if (n == 3) throw new InvalidOperationException("three nodes are not supported");
            if (n == 5) ctx.Metrics.Note("safety", "fork");
        }
        public void OnMessage(INodeContext ctx, NodeId from, object message) { }
        public void OnTimer(INodeContext ctx, object state) { }
    }
}
