using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;

namespace Lab.Experiments.Tests;

public class SecuritiesModelTests
{
    private static (Experiment? Experiment, Diagnostics Problems) Load(string yaml, params string[] sets)
    {
        var dir = Directory.CreateTempSubdirectory("lab-sec").FullName;
        var file = Path.Combine(dir, "e.yaml");
        File.WriteAllText(file, yaml);
        var d = new Diagnostics();
        var e = new ExperimentLoader(ModelRegistry.Default).Load(file, sets, d);
        Directory.Delete(dir, true);
        return (e, d);
    }

    // A small market: Monday's trades only, settled by Wednesday evening under T+1 (T+2 incl. rolled fails).
    private const string Small = """
        name: small-securities
        seed: 7
        start: 2026-06-01T00:00+08:00
        duration: 3d
        network: { preset: china-3-cities }
        institutions:
          calendar: cn
          brokers: { count: 4, regions: [shanghai, beijing, shenzhen] }
        chain: { protocol: pbft, nodes: 4, block: { max-tx: 100, timeout: 200ms } }
        scenario:
          kind: securities
          securities: 3
          trades: { count: 300, window: 1d }
        variants:
          t+1:
            settlement: { mode: deferred-net, cycle: T+1 }
          on-chain:
            settlement: { mode: atomic-dvp, prefunding: reject }
          raft:
            settlement: { mode: atomic-dvp }
            chain.protocol: raft
            chain.raft: { heartbeat: 5s, election-timeout: "uniform(15s, 30s)" }
        outputs: { series-bin: 10min }
        """;

    [Theory]
    [InlineData("teaching/t1-vs-onchain.yaml", 2)]
    [InlineData("settlement/t2-t1-t0.yaml", 4)]
    [InlineData("settlement/netting-window-sweep.yaml", 9)]
    public void The_ready_settlement_experiments_validate(string file, int points)
    {
        var d = new Diagnostics();
        var path = Path.Combine(TestModels.RepositoryRoot(), "scenarios", file);
        var e = new ExperimentLoader(ModelRegistry.Default).Load(path, [], d);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        Assert.Equal(points, e!.Points.Count);
        Assert.All(e.Points, p => Assert.Equal("securities", p.Model.Name));
    }

    [Fact]
    public void Unknown_or_mistyped_settlement_keys_are_reported_with_file_line_and_column()
    {
        var (e, d) = Load(Small.Replace("settlement: { mode: atomic-dvp, prefunding: reject }", "settlement: { mode: atomic-dvp, prefunding: maybe, netting-windw: 5min }"));
        Assert.Null(e);
        var text = d.Sorted().Select(x => x.ToString()).ToList();
        Assert.Contains(text, t => t.Contains("e.yaml:18:49: settlement.prefunding", StringComparison.Ordinal));
        Assert.Contains(text, t => t.Contains("e.yaml:18:56: settlement.netting-windw: unknown key; did you mean 'settlement.netting-window'?", StringComparison.Ordinal));
    }

    [Fact]
    public void A_malformed_cycle_or_batch_time_is_reported_where_it_is_written()
    {
        var (e, d) = Load(Small.Replace("settlement: { mode: deferred-net, cycle: T+1 }", "settlement: { mode: deferred-net, cycle: T+x, batch-at: noon }"));
        Assert.Null(e);
        var text = d.Sorted().Select(x => x.ToString()).ToList();
        Assert.Contains(text, t => t.Contains("e.yaml:16:46: settlement.cycle: expected T+n", StringComparison.Ordinal));
        Assert.Contains(text, t => t.Contains("e.yaml:16:61: settlement.batch-at: expected a local time HH:mm", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_too_short_for_the_last_settlement_is_rejected_before_running()
    {
        var (e, d) = Load(Small, "duration=1d");
        Assert.Null(e);
        Assert.Contains(d.Errors, x => x.Key == "duration" && x.Message.Contains("too short for the last trades to settle", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Both_settlement_variants_see_the_same_trades_and_report_settlement_times()
    {
        var (e, d) = Load(Small);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        var result = new ExperimentRunner(ModelRegistry.Default).Run(e!, parallel: 1);
        Assert.Equal(["t+1", "on-chain", "raft"], result.Points.Select(p => p.Variant));
        var runs = result.Points.Select(p => p.Replications[0].Metrics).ToList();
        foreach (var m in runs)
        {
            Assert.Equal(300, m.Scalars["trades"]);
            Assert.NotEmpty(m.Samples["settlement_time_s"]);
            Assert.Equal(0, m.Scalars["safety_violations"]);
        }
        // Same seed, same trades: the sampled execution times agree; only settlement differs.
        Assert.Equal(runs[0].Samples["trade_start_s"], runs[1].Samples["trade_start_s"]);
        Assert.Equal(runs[0].Samples["trade_start_s"], runs[2].Samples["trade_start_s"]);
        Assert.True(runs[0].Scalars["settlement_time_p50_s"] > 3600, "T+1 settles the next morning");
        Assert.True(runs[1].Scalars["settlement_time_p50_s"] < 5, "PBFT DvP settles within seconds");
        Assert.True(runs[2].Scalars["settlement_time_p50_s"] < 5, "Raft DvP settles within seconds");
        Assert.Equal(1, runs[1].Scalars["chain_replicas_agree"]);
        Assert.Equal(0, runs[1].Scalars["conservation_violations"]);
        // The report opens with the T+1 versus on-chain headline.
        var opening = Assert.Single(result.Opening);
        Assert.StartsWith("Under T+1 the median trade settled", opening, StringComparison.Ordinal);
        Assert.Contains("on-chain DvP settled in", opening, StringComparison.Ordinal);
        var summary = Lab.Reports.Statistics.ExperimentSummary.Of(result);
        Assert.Equal(opening, Lab.Reports.Html.Narrative.Sentences(result, summary)[0]);
    }
}
