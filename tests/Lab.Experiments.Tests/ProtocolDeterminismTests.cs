using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Lab.Reports;
using Lab.Reports.Statistics;
using Lab.Reports.Writers;

namespace Lab.Experiments.Tests;

/// <summary>
/// Every protocol, end to end: one run on the sequential executor (--parallel 1) and on the actor
/// executor (--parallel 2 with a single run) must write byte-identical summary.json and metrics/.
/// </summary>
public class ProtocolDeterminismTests
{
    private const string Common = """
        seed: 5
        duration: 6s
        warmup: 1s
        network:
          preset: aws-3-regions
        workload:
          clients: { count: 4 }
          rate: 400/s
        """;

    private const string CrashLeader = "faults: [{ at: 3s, crash: leader, for: 1s }]";

    public static TheoryData<string, string> Protocols => new()
    {
        { "raft", $"chain: {{ protocol: raft, nodes: 5 }}\n{CrashLeader}" },
        { "solo", $"chain: {{ protocol: solo, nodes: 3 }}\n{CrashLeader}" },
        { "pbft", $"chain: {{ protocol: pbft, nodes: 4 }}\nbyzantine: [{{ nodes: [n3], behaviour: withhold }}]\n{CrashLeader}" },
        { "hotstuff", $"chain: {{ protocol: hotstuff, nodes: 4 }}\nbyzantine: [{{ nodes: [n2], behaviour: equivocate }}]\n{CrashLeader}" },
        { "pow", "chain: { protocol: pow, nodes: 30, pow: { blocks: 20, target-interval: 300ms, block-size: 100KB } }\nfaults: [{ at: 3s, crash: n3, for: 1s }]" },
    };

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Summary_and_metrics_are_byte_identical_on_the_sequential_and_actor_executors(string protocol, string chain)
    {
        var dir = Directory.CreateTempSubdirectory("lab-determinism-");
        try
        {
            var file = Path.Combine(dir.FullName, protocol + ".yaml");
            File.WriteAllText(file, $"name: {protocol}-determinism\n{Common}\n{chain}\n");
            var d = new Diagnostics();
            var experiment = new ExperimentLoader(ModelRegistry.Default).Load(file, [], d) ?? throw new InvalidOperationException(string.Join("\n", d.Sorted()));
            var runner = new ExperimentRunner(ModelRegistry.Default);
            var (summary1, metrics1) = Written(runner.Run(experiment, parallel: 1));
            var (summary2, metrics2) = Written(runner.Run(experiment, parallel: 2));
            Assert.Equal(summary1, summary2);
            Assert.Equal(metrics1.Keys, metrics2.Keys);
            foreach (var k in metrics1.Keys) Assert.True(metrics1[k].AsSpan().SequenceEqual(metrics2[k]), $"metrics/{k} differs");
            Assert.Contains("\"throughput_tps\"", System.Text.Encoding.UTF8.GetString(summary1));
        }
        finally { dir.Delete(recursive: true); }
    }

    private static (byte[] Summary, SortedDictionary<string, byte[]> Metrics) Written(ExperimentResult result)
    {
        var summary = ExperimentSummary.Of(result);
        return (SummaryJson.Serialize(summary), MetricsCsv.Files(result, summary));
    }
}
