using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Lab.Sim.Metrics;

namespace Lab.Experiments.Tests;

/// <summary>Issue 11's case: with one NIC per node, a leader cannot send more than its uplink carries.</summary>
public class LeaderBandwidthTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Sixty_four_pbft_replicas_at_100_mbit_per_s_commit_no_more_than_the_primarys_uplink_carries()
    {
        const int n = 64, txBytes = 512, maxBatch = 500;
        const double seconds = 10, uplinkBitsPerSecond = 100e6;
        var yaml = $$"""
            name: leader-uplink
            seed: 3
            duration: {{seconds}}s
            network: { latency: constant(5ms), bandwidth: 100Mbps }
            chain: { protocol: pbft, nodes: {{n}}, block: { max-tx: {{maxBatch}}, timeout: 100ms } }
            workload:
              clients: { count: 4 }
              arrivals: poisson(rate: 5000/s)
              tx-size: {{txBytes}}B
              retry-timeout: 60s
            """;
        var dir = Directory.CreateTempSubdirectory("lab-uplink-");
        try
        {
            var file = Path.Combine(dir.FullName, "leader-uplink.yaml");
            File.WriteAllText(file, yaml);
            var d = new Diagnostics();
            var experiment = new ExperimentLoader(ModelRegistry.Default).Load(file, [], d) ?? throw new InvalidOperationException(string.Join("\n", d.Sorted()));
            var run = new ExperimentRunner(ModelRegistry.Default).Run(experiment, parallel: 1).Points.Single().Replications.Single();

            // The primary puts every batch on its one uplink once per backup (n − 1 copies, one after
            // another), so every committed transaction took at least (n − 1) × 512 B of it. A batch
            // can commit before its last copies leave (2f + 1 replicas suffice), hence one batch of slack.
            var bound = uplinkBitsPerSecond * seconds / ((n - 1) * txBytes * 8.0) + maxBatch; // 3,875 + 500
            var committed = run.Metrics.Counter("committed_tx");
            Assert.True(committed <= bound, $"{committed} transactions committed; the primary's uplink allows at most {bound:F0}");
            Assert.True(committed >= 0.5 * (bound - maxBatch), $"only {committed} committed: something other than the uplink limits it");
            Assert.True(run.Metrics.Scalars[KernelMetrics.UplinkUtilisationMax] > 0.9, "the primary's uplink is the bottleneck: busy nearly all the time");
        }
        finally { dir.Delete(recursive: true); }
    }
}
