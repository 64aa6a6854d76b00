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

    // A small US market: Monday's orders only, settled by Wednesday evening under T+1 (buy-ins and recycles included).
    private const string Small = """
        name: small-securities
        seed: 7
        start: 2026-06-01T00:00-04:00
        duration: 4d
        network: { preset: china-3-cities }
        institutions:
          brokers: { count: 6, regions: [shanghai, beijing, shenzhen] }
        chain: { protocol: pbft, nodes: 4, block: { max-tx: 100, timeout: 200ms } }
        scenario:
          kind: securities
          market: us
          securities: 3
          trades: { count: 400, window: 1d }
        variants:
          t+1:
            settlement: { regime: us-cns }
          on-chain:
            settlement: { regime: atomic-dvp, netting-window: 0s }
          raft:
            settlement.regime: atomic-dvp
            chain.protocol: raft
            chain.raft: { heartbeat: 5s, election-timeout: "uniform(15s, 30s)" }
        replications: 2
        outputs: { series-bin: 10min }
        """;

    [Theory]
    [InlineData("teaching/t1-vs-onchain.yaml", 2)]
    [InlineData("settlement/t2-t1-t0.yaml", 4)]
    [InlineData("settlement/netting-window-sweep.yaml", 9)]
    [InlineData("settlement/member-default.yaml", 3)]
    [InlineData("settlement/us-vs-cn.yaml", 4)]
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
        var (e, d) = Load(Small.Replace("settlement: { regime: atomic-dvp, netting-window: 0s }", "settlement: { regime: atomic-dvpp, netting-windw: 5min }"));
        Assert.Null(e);
        var text = d.Sorted().Select(x => x.ToString()).ToList();
        Assert.Contains(text, t => t.Contains("e.yaml:18:27: settlement.regime: 'atomic-dvpp' is not one of", StringComparison.Ordinal));
        Assert.Contains(text, t => t.Contains("e.yaml:18:40: settlement.netting-windw: unknown key; did you mean 'settlement.netting-window'?", StringComparison.Ordinal));
    }

    [Fact]
    public void A_regime_of_the_other_market_a_malformed_cycle_or_shock_time_is_reported_where_it_is_written()
    {
        var (e, d) = Load(Small.Replace("settlement: { regime: us-cns }", "settlement: { regime: cn-chinaclear, cycle: T+x }")
            .Replace("securities: 3", "securities: 3\n  prices: { shock: { at: noon, move: -0.1 } }"));
        Assert.Null(e);
        var text = d.Sorted().Select(x => x.ToString()).ToList();
        Assert.Contains(text, t => t.Contains("e.yaml:17:27: settlement.regime: regime 'cn-chinaclear' has the timings of the cn market", StringComparison.Ordinal));
        Assert.Contains(text, t => t.Contains("e.yaml:17:49: settlement.cycle: expected T+n", StringComparison.Ordinal));
        Assert.Contains(text, t => t.Contains("e.yaml:13:26: scenario.prices.shock.at: expected a local date and time", StringComparison.Ordinal));
    }

    [Fact]
    public void A_default_member_that_does_not_exist_is_reported()
    {
        var (e, d) = Load(Small.Replace("securities: 3", "securities: 3\n  default: { member: broker99, at: \"2026-06-01 11:00\" }"));
        Assert.Null(e);
        Assert.Contains(d.Errors, x => x.Key == "scenario.default.member" && x.Message.Contains("no member 'broker99'", StringComparison.Ordinal));
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
    public void Every_variant_sees_the_same_orders_and_the_report_opens_with_the_headline_over_all_replications()
    {
        var (e, d) = Load(Small);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        var result = new ExperimentRunner(ModelRegistry.Default).Run(e!, parallel: 1);
        Assert.Equal(["t+1", "on-chain", "raft"], result.Points.Select(p => p.Variant));
        var runs = result.Points.Select(p => p.Replications[0].Metrics).ToList();
        foreach (var m in runs)
        {
            Assert.True(m.Scalars["orders"] > 300);
            Assert.NotEmpty(m.Samples["settlement_time_s"]);
            Assert.Equal(0, m.Scalars["safety_violations"]);
        }
        // Same seed, same orders: the sampled execution times agree; only settlement differs.
        Assert.Equal(runs[0].Samples["trade_start_s"], runs[1].Samples["trade_start_s"]);
        Assert.Equal(runs[0].Samples["trade_start_s"], runs[2].Samples["trade_start_s"]);
        Assert.True(runs[0].Scalars["settlement_time_p50_s"] > 12 * 3600, "T+1 settles the next afternoon");
        Assert.True(runs[1].Scalars["settlement_time_p50_s"] < 5, "PBFT DvP settles within seconds");
        Assert.True(runs[2].Scalars["settlement_time_p50_s"] < 5, "Raft DvP settles within seconds");
        Assert.Equal(1, runs[1].Scalars["chain_replicas_agree"]);
        Assert.Equal(0, runs[1].Scalars["dvp_refused_after_lock"]);
        // The report opens with the T+1 versus on-chain headline, with intervals over the two replications.
        var opening = result.Opening[0];
        Assert.StartsWith("Under t+1 the median trade settled", opening, StringComparison.Ordinal);
        Assert.Matches(@"settled [\d.]+ h \[[\d.]+, [\d.]+\] after execution", opening);
        Assert.Contains("as much cash on chain", opening, StringComparison.Ordinal);
        Assert.DoesNotContain(" more cash", opening, StringComparison.Ordinal);
        var summary = Lab.Reports.Statistics.ExperimentSummary.Of(result);
        Assert.Equal(opening, Lab.Reports.Html.Narrative.Sentences(result, summary)[0]);
    }

    [Fact]
    public void The_report_follows_a_Friday_trade_that_T_plus_1_settles_after_the_weekend_and_the_chain_in_seconds()
    {
        // Friday's orders in New York: T+1 falls on Monday.
        var friday = Small.Replace("start: 2026-06-01T00:00-04:00", "start: 2026-06-05T00:00-04:00").Replace("duration: 4d", "duration: 6d")
            .Replace("trades: { count: 400, window: 1d }", "trades: { count: 200, window: 1d }").Replace("replications: 2", "replications: 1");
        friday = friday[..friday.IndexOf("  raft:", StringComparison.Ordinal)] + friday[friday.IndexOf("replications:", StringComparison.Ordinal)..];
        var (e, d) = Load(friday);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        var result = new ExperimentRunner(ModelRegistry.Default).Run(e!, parallel: 1);
        var follow = result.Follow;
        Assert.NotNull(follow);
        Assert.Equal("trade", follow.Noun);
        Assert.Equal("America/New_York", follow.Zone);
        Assert.True(follow.Journeys.Count >= 5, $"{follow.Journeys.Count} journeys");
        foreach (var j in follow.Journeys)
        {
            Assert.Equal(["t+1", "on-chain"], j.Lanes.Select(l => l.Variant));
            // The same trade in both worlds: executed at the same instant.
            Assert.Equal(j.Lanes[0].Steps[0].AtSeconds, j.Lanes[1].Steps[0].AtSeconds);
            Assert.All(j.Lanes.SelectMany(l => l.Steps).SelectMany(s => s.Who), w => Assert.Contains(w, follow.Institutions));
            foreach (var lane in j.Lanes) Assert.Equal(lane.Steps.OrderBy(s => s.AtSeconds).Select(s => s.What), lane.Steps.Select(s => s.What));
        }
        var pick = follow.Journeys[0];
        Assert.NotEqual("", pick.Note);
        var (t1, chain) = (pick.Lanes[0].Steps, pick.Lanes[1].Steps);
        Assert.StartsWith("Fri 5 Jun 2026", t1[0].Local, StringComparison.Ordinal);
        Assert.EndsWith("UTC−4", t1[0].Local, StringComparison.Ordinal);
        Assert.Contains(t1, s => s.What.StartsWith("Netting cut-off", StringComparison.Ordinal) && s.Local.StartsWith("Fri 5 Jun 2026, 23:30", StringComparison.Ordinal));
        Assert.StartsWith("Net money settled", t1[^1].What, StringComparison.Ordinal);
        Assert.StartsWith("Mon 8 Jun 2026, 16:15", t1[^1].Local, StringComparison.Ordinal);
        Assert.Equal(["Executed on the exchange; both legs locked at order entry", "DvP submitted to the chain",
            "Committed: shares and cash change hands in one contract call (DvP), final"], chain.Select(s => s.What));
        Assert.InRange(chain[^1].AtSeconds - chain[0].AtSeconds, 0.001, 60);
    }
}
