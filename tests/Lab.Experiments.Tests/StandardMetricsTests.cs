using Lab.Consensus.Common;
using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;

namespace Lab.Experiments.Tests;

/// <summary>One metrics contract: every registered consensus protocol reports the same standard set.</summary>
public class StandardMetricsTests
{
    /// <summary>Registered protocol models that are not (yet) under the contract, and why.</summary>
    private static readonly Dictionary<string, string> NotYet = new()
    {
        ["gossip"] = "a kernel workload (random rumours), not a consensus protocol: there are no transactions to count",
    };

    /// <summary>What a protocol needs to finalise transactions within a short run: proof of work with fast blocks,
    /// 2 confirmations, transactions relayed in 50 ms and clients that wait longer than a block before resending.</summary>
    private static readonly Dictionary<string, (string Chain, string Workload, string Duration, string Warmup)> Needs = new()
    {
        ["pow"] = (", pow: { target-interval: 200ms, confirmations: 2, blocks: 200, tx-relay: 50ms }", ", retry-timeout: 2s", "20s", "5s"),
    };

    public static TheoryData<string> Protocols()
    {
        var data = new TheoryData<string>();
        foreach (var m in ModelRegistry.Default.Protocols.Where(m => !NotYet.ContainsKey(m.Name))) data.Add(m.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Every_registered_protocol_reports_the_standard_metric_set(string protocol)
    {
        var dir = Directory.CreateTempSubdirectory("lab-std").FullName;
        try
        {
            var file = Path.Combine(dir, "e.yaml");
            var (chain, workload, duration, warmup) = Needs.GetValueOrDefault(protocol, (", block: { timeout: 10ms }", "", "3s", "1s"));
            File.WriteAllText(file, $$"""
                name: standard-{{protocol}}
                seed: 5
                duration: {{duration}}
                warmup: {{warmup}}
                network: { latency: 5ms }
                chain: { protocol: {{protocol}}, nodes: 4{{chain}} }
                workload: { clients: { count: 2 }, arrivals: poisson(rate: 200/s){{workload}} }
                """);
            var d = new Diagnostics();
            var e = new ExperimentLoader(ModelRegistry.Default).Load(file, [], d);
            Assert.True(e is not null, string.Join("\n", d.Sorted()));
            var m = new ExperimentRunner(ModelRegistry.Default).Run(e!, parallel: 1).Points.Single().Replications.Single().Metrics;
            var expected = StandardMetrics.Descriptions.Select(x => x.Name)
                .Where(n => n != StandardMetrics.CommitLatency && !n.Contains('<'))
                // Proof of work has no commit log per replica (each node's chain is its own view; PowRun checks k-deep reversals instead).
                .Concat(protocol == "pow" ? [] : [StandardMetrics.CommitsPerNodePrefix + "n3"]);
            foreach (var name in expected) Assert.True(m.Scalars.ContainsKey(name), $"{protocol}: {name} missing");
            Assert.NotEmpty(m.Samples[StandardMetrics.CommitLatency]);
            Assert.InRange(m.Scalars[StandardMetrics.ThroughputTps], 150, 250);
            Assert.Equal(200, m.Scalars[StandardMetrics.OfferedTps]);
            Assert.True(m.Scalars[StandardMetrics.MessagesPerDecision] > 0, $"{protocol}: no replica-to-replica traffic counted");
        }
        finally { Directory.Delete(dir, true); }
    }
}
