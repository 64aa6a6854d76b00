using Lab.Reports.Html;
using Lab.Reports.Statistics;

namespace Lab.Reports.Tests;

public class NarrativeTests
{
    private static ExperimentResult PbftSweep(double latencyAt64)
    {
        PointResult Point(int nodes, double tps, double latency) => new()
        {
            Variant = "pbft",
            Parameters = [new("chain.nodes", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            Replications =
            [
                new ReplicationResult
                {
                    Index = 0, Seed = 1, Stats = Results.EmptyStats(10),
                    Metrics = Results.Metrics(m =>
                    {
                        m.Scalars["throughput_tps"] = tps;
                        m.Samples["commit_latency_s"] = [.. Enumerable.Repeat(latency, 100)];
                    }),
                },
            ],
        };
        return new ExperimentResult
        {
            Name = "pbft-scaling", Seed = 3, SourceYaml = "", ResolvedYaml = "", SweepAxes = ["chain.nodes"],
            Words = [new(MetricWord.Throughput, "throughput_tps"), new(MetricWord.Latency, "commit_latency_s")],
            Points = [Point(4, 1950, 0.045), Point(16, 1200, 0.2), Point(64, 410, latencyAt64)],
        };
    }

    [Fact]
    public void A_sweep_is_told_from_its_first_to_its_last_point()
    {
        var result = PbftSweep(1.2);
        var sentences = Narrative.Sentences(result, ExperimentSummary.Of(result));
        Assert.Equal("3 runs of 3 configurations over chain.nodes, root seed 3.", sentences[0]);
        Assert.Equal("Throughput went from 1,950 tx/s at nodes=4 to 410 tx/s at nodes=64; p99 commit latency grew from 45 ms at nodes=4 to 1.2 s at nodes=64.", sentences[1]);
    }

    [Fact]
    public void A_falling_latency_is_not_said_to_grow()
    {
        var result = PbftSweep(0.01);
        Assert.Contains("p99 commit latency fell from 45 ms at nodes=4 to 10 ms at nodes=64", Narrative.Sentences(result, ExperimentSummary.Of(result))[1], StringComparison.Ordinal);
    }
}
