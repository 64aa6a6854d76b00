using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;

namespace Lab.Experiments.Tests;

public class TwoLayerModelTests
{
    // Two business chains and a regulator chain over one small trading day.
    private const string Small = """
        name: small-two-layer
        seed: 11
        duration: 36h
        network: { preset: china-3-cities }
        institutions:
          brokers: { count: 6, regions: [shanghai, shenzhen] }
        chains:
          - { name: east, role: business, protocol: pbft, nodes: 4, placement: shanghai, anchor-every: 30s }
          - { name: south, role: business, protocol: pbft, nodes: 4, placement: shenzhen, anchor-every: 30s }
          - { name: reg, role: regulator, protocol: pbft, nodes: 4, placement: beijing }
        scenario:
          kind: securities
          securities: 4
          trades: { count: 400, window: 1d }
          regulator: { query-every: 5min }
        settlement: { regime: atomic-dvp }
        outputs: { series-bin: 10min }
        """;

    [Fact]
    public void A_two_layer_file_runs_every_chain_on_one_network_and_opens_with_the_anchoring_headline()
    {
        var dir = Directory.CreateTempSubdirectory("lab-2l").FullName;
        var file = Path.Combine(dir, "e.yaml");
        File.WriteAllText(file, Small);
        var d = new Diagnostics();
        var e = new ExperimentLoader(ModelRegistry.Default).Load(file, [], d);
        Directory.Delete(dir, true);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        var result = new ExperimentRunner(ModelRegistry.Default).Run(e!, parallel: 1);
        var m = result.Points.Single().Replications[0].Metrics;
        Assert.Equal(0, m.Scalars["safety_violations"]);
        foreach (var chain in new[] { "east", "south", "reg" }) Assert.Equal(0, m.Scalars["chain_safety_violations." + chain]);
        Assert.Equal(m.Scalars["market_trades"], m.Scalars["chain_tx.east"] + m.Scalars["chain_tx.south"]);
        Assert.Equal(m.Scalars["anchor_tx.east"] + m.Scalars["anchor_tx.south"], m.Scalars["anchor_proofs_verified"]);
        // Every anchor whose range holds a transaction catches its altered copy (a range of empty blocks has none).
        Assert.InRange(m.Scalars["anchor_tamper_detected"], 1, m.Scalars["anchor_proofs_verified"]);
        // A block waits at most one interval for its anchor, plus the regulator chain's finality (well under 5 s here).
        Assert.All(m.Samples["anchor_delay_s"], s => Assert.InRange(s, 0, 35));
        // 36 h of queries every 5 min (the one due at the run's very end is not run), each against both business chains.
        Assert.Equal(36 * 12 - 1, m.Scalars["regulator_queries"]);
        Assert.Equal(2 * (36 * 12 - 1), m.Samples["regulator_staleness_s"].Length);
        Assert.StartsWith("With 2 business chains anchored on a regulator chain every 30 s", result.Opening[0], StringComparison.Ordinal);
    }
}
