using Lab.Experiments.Models;
using Lab.Experiments.Results;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Lab.Reports;

namespace Lab.Experiments.Tests;

public class RunnerTests
{
    private static Experiment Demo(params string[] sets)
    {
        var d = new Diagnostics();
        var file = Path.Combine(TestModels.RepositoryRoot(), "scenarios", "demo", "gossip.yaml");
        return new ExperimentLoader(ModelRegistry.Default).Load(file, sets, d) ?? throw new InvalidOperationException(string.Join("\n", d.Sorted()));
    }

    /// <summary>Everything a report is made from, as text: equal text ⇒ equal summary and CSVs.</summary>
    private static string Fingerprint(ExperimentResult r)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var p in r.Points)
            foreach (var rep in p.Replications)
            {
                sb.Append($"{p.Variant} {rep.Index} {rep.Seed} {rep.Stats.EventsProcessed} {rep.Stats.MessagesSent} {rep.Stats.MessagesDropped} {rep.Stats.FinalTime}\n");
                foreach (var (k, v) in rep.Metrics.Counters) sb.Append($"c {k} {v:R}\n");
                foreach (var (k, v) in rep.Metrics.Scalars) sb.Append($"s {k} {v:R}\n");
                foreach (var (k, v) in rep.Metrics.Samples) sb.Append($"x {k} {string.Join(",", v.Select(x => x.ToString("R")))}\n");
                foreach (var (k, v) in rep.Metrics.Series) sb.Append($"t {k} {string.Join(",", v.Select(x => x.ToString("R")))}\n");
                foreach (var f in rep.Stats.Faults) sb.Append($"f {f.Start} {f.End} {f.Description}\n");
            }
        return sb.ToString();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void The_gossip_demo_gives_identical_results_on_one_and_two_threads()
    {
        var e = Demo("duration=30s", "faults=[{at: 10s, partition: [hong-kong], for: 10s}]");
        var runner = new ExperimentRunner(ModelRegistry.Default);
        var one = runner.Run(e, parallel: 1);
        var two = runner.Run(e, parallel: 2);
        Assert.Equal(Fingerprint(one), Fingerprint(two));
        Assert.True(one.Points[0].Replications[0].Metrics.Samples["rumour_latency_s"].Length > 100);
    }

    /// <summary>Three gossip points of one run each.</summary>
    private static Experiment ThreePoints()
    {
        var dir = Directory.CreateTempSubdirectory("lab-rehearse").FullName;
        var file = Path.Combine(dir, "three.yaml");
        File.WriteAllText(file, "name: three\nduration: 3s\nnetwork: { latency: uniform(5ms, 15ms) }\nchain: { protocol: gossip, nodes: 20 }\n" +
                                "workload: { arrivals: poisson(rate: 100/s) }\nreplications: 1\nsweep:\n  chain.gossip.fanout: [2, 3, 4]\n");
        var d = new Diagnostics();
        try { return new ExperimentLoader(ModelRegistry.Default).Load(file, [], d) ?? throw new InvalidOperationException(string.Join("\n", d.Sorted())); }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Once_a_core_is_idle_the_finished_points_are_handed_out_for_a_rehearsal_that_changes_nothing()
    {
        var e = ThreePoints();
        var runner = new ExperimentRunner(ModelRegistry.Default);
        var plain = runner.Run(e, new LocalRunExecutor(runner, 2));
        var rehearsals = new List<int>();
        using var rehearsed = new ManualResetEventSlim();
        var watched = runner.Run(e, new LocalRunExecutor(runner, 2), rehearse: partial =>
        {
            ReportWriter.Rehearse(partial);   // the whole report of those points, drawn in memory
            lock (rehearsals) rehearsals.Add(partial.Points.Count);
            rehearsed.Set();
            throw new InvalidOperationException("a rehearsal that fails is ignored");
        });
        // Three runs on two slots: when the second ends, one run is left and a core is idle; two points are finished.
        Assert.True(rehearsed.Wait(TimeSpan.FromSeconds(60)), "no rehearsal");
        Assert.Equal([2], rehearsals);
        Assert.Equal(Fingerprint(plain), Fingerprint(watched));
    }

    [Fact]
    public void Replications_differ_and_the_partition_shows_in_the_data()
    {
        var e = Demo("duration=30s", "faults=[{at: 10s, partition: [hong-kong], for: 10s}]");
        var r = new ExperimentRunner(ModelRegistry.Default).Run(e, parallel: 1);
        var reps = r.Points[0].Replications;
        Assert.Equal(3, reps.Count);
        Assert.NotEqual(reps[0].Metrics.Counter("rumours_originated"), reps[1].Metrics.Counter("rumours_originated"));
        Assert.Single(reps[0].Stats.Faults);
        Assert.Contains("partition", reps[0].Stats.Faults[0].Description);
        // During the partition a rumour reaches only its own side: coverage drops below 1.
        Assert.InRange(reps[0].Metrics.Scalars["rumour_coverage"], 0.5, 0.99);
        Assert.Equal(0, reps[0].Metrics.Scalars["safety_violations"]);
    }

    [Fact]
    public void An_unexpected_safety_violation_stops_the_experiment()
    {
        var registry = ModelRegistry.Default.With(new Violator());
        var dir = Directory.CreateTempSubdirectory("lab-exp").FullName;
        File.WriteAllText(Path.Combine(dir, "v.yaml"), "name: v\nchain: { protocol: violator, nodes: 2 }\nduration: 1s\n");
        var d = new Diagnostics();
        var e = new ExperimentLoader(registry).Load(Path.Combine(dir, "v.yaml"), [], d)!;
        var stopped = Assert.Throws<ExperimentStoppedException>(() => new ExperimentRunner(registry).Run(e, 1));
        Assert.IsType<SafetyViolationException>(stopped.Reason);
        Assert.Contains("forked", stopped.Reason.Message);
        Assert.Equal(2, stopped.Completed!.Points[0].Replications[0].Metrics.Scalars["safety_violations"]);
        var expected = new ExperimentLoader(registry).Load(Path.Combine(dir, "v.yaml"), ["expect.safety=violated"], d)!;
        var r = new ExperimentRunner(registry).Run(expected, 1);
        Assert.Equal(2, r.Points[0].Replications[0].Metrics.Scalars["safety_violations"]);
        Directory.Delete(dir, true);
    }

    private sealed class Violator : IModel
    {
        public string Name => "violator";
        public ModelKind Kind => ModelKind.Protocol;
        public string Description => "reports a safety violation at start";
        public IReadOnlyList<Schema.SchemaKey> Keys => [];
        public World Build(RunContext context)
        {
            var w = new World();
            for (int i = 0; i < context.Config.Int("chain.nodes"); i++) w.Nodes.Add(new($"n{i}", 0, "replica", () => new Breaks()));
            return w;
        }
    }

    private sealed class Breaks : Lab.Sim.Nodes.INodeBehaviour
    {
        public void OnStart(Lab.Sim.Nodes.INodeContext ctx) { ctx.Metrics.Add("safety_violations"); ctx.Metrics.Note("safety", $"{ctx.Self} forked"); }
        public void OnMessage(Lab.Sim.Nodes.INodeContext ctx, Lab.Sim.Nodes.NodeId from, object message) { }
        public void OnTimer(Lab.Sim.Nodes.INodeContext ctx, object state) { }
    }
}
