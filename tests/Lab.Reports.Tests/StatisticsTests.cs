using Lab.Reports.Statistics;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Time;

namespace Lab.Reports.Tests;

public class StatisticsTests
{
    [Fact]
    public void The_confidence_interval_is_the_Student_t_interval_of_the_per_run_values()
    {
        // Hand-computed: mean 5, s = √(32/7), t(0.975, 7) = 2.3646242510, half-width = t·s/√8 = 1.7874879.
        var m = MetricSummary.OfRuns([2, 4, 4, 4, 5, 5, 7, 9]);
        Assert.Equal(5, m.Mean, 12);
        Assert.Equal(3.2125120822041073, m.Ci95Low, 9);
        Assert.Equal(6.787487917795893, m.Ci95High, 9);
        Assert.Equal(8, m.N);
    }

    [Fact]
    public void Percentiles_interpolate_linearly_between_order_statistics()
    {
        // Type 7: h = (n − 1)p + 1. For 2,4,4,4,5,5,7,9: p50 → 4.5, p90 → 7 + 0.3·2 = 7.6, p99 → 7 + 0.93·2 = 8.86.
        var m = MetricSummary.OfRuns([9, 2, 4, 5, 4, 7, 4, 5]);
        Assert.Equal(4.5, m.P50, 12);
        Assert.Equal(7.6, m.P90, 12);
        Assert.Equal(8.86, m.P99, 12);
        Assert.Equal(9, m.Max);
        var ten = MetricSummary.OfRuns([.. Enumerable.Range(1, 10).Select(i => (double)i)]);
        Assert.Equal(5.5, ten.P50, 12);
        Assert.Equal(9.1, ten.P90, 12);
        Assert.Equal(9.91, ten.P99, 12);
    }

    [Fact]
    public void One_replication_collapses_the_interval_to_the_mean()
    {
        var m = MetricSummary.OfRuns([42]);
        Assert.Equal((42.0, 42.0, 42.0, 1), (m.Mean, m.Ci95Low, m.Ci95High, m.N));
    }

    [Fact]
    public void Identical_replications_give_a_zero_width_interval()
    {
        var m = MetricSummary.OfRuns([3, 3, 3]);
        Assert.Equal((3.0, 3.0), (m.Ci95Low, m.Ci95High));
    }

    [Fact]
    public void Sample_metrics_average_run_means_but_take_percentiles_over_pooled_samples()
    {
        var result = Results.Counters("unused", 0, 0);
        result.Points[0].Replications[0].Metrics.Samples["commit_latency_s"] = [1, 2, 3];
        result.Points[0].Replications[1].Metrics.Samples["commit_latency_s"] = [10, 20, 30, 40];
        var m = ExperimentSummary.Of(result).Points[0].Metrics["commit_latency_s"];
        Assert.Equal(13.5, m.Mean, 12); // (2 + 25) / 2: each run counts once, whatever its sample count
        Assert.Equal(10, m.P50, 12);    // median of 1,2,3,10,20,30,40
        Assert.Equal(40, m.Max);
        Assert.Equal(2, m.N);
    }

    [Fact]
    public void Trail_samples_of_followed_items_get_no_statistics()
    {
        var result = Results.Counters("unused", 0, 0);
        result.Points[0].Replications[0].Metrics.Samples["journey_stage"] = [0, 1, 2, 0, 1];
        result.Points[0].Replications[0].Metrics.Samples["commit_latency_s"] = [1, 2, 3];
        var metrics = ExperimentSummary.Of(result).Points[0].Metrics;
        Assert.False(metrics.ContainsKey("journey_stage"));   // step codes in order, not a distribution
        Assert.True(metrics.ContainsKey("commit_latency_s"));
    }

    [Fact]
    public void Counters_are_summarised_across_replications()
    {
        var m = ExperimentSummary.Of(Results.Counters("commits", 10, 20, 30)).Points[0].Metrics["commits"];
        Assert.Equal(20, m.Mean, 12);
        Assert.Equal(20, m.P50, 12);
        Assert.Equal(30, m.Max);
        // t(0.975, 2) = 4.302652729911275, s = 10: half-width 24.8414…
        Assert.Equal(20 - 4.302652729911275 * 10 / Math.Sqrt(3), m.Ci95Low, 9);
    }

    [Fact]
    public void Kernel_statistics_become_metrics()
    {
        var run = new ReplicationResult
        {
            Index = 0, Seed = 1, Metrics = new RunMetrics(Duration.FromSeconds(1)),
            Stats = new RunStats(1234, 56, 7890, 50, 6, 3, SimTime.Zero + Duration.FromSeconds(2), StopReason.EndTime, [], [0.2, 0.4]),
        };
        var v = RunValues.Of(run, 0, countSafety: false).Values;
        Assert.Equal(1234, v["events_total"]);
        Assert.Equal(56, v["messages_total"]);
        Assert.Equal(7890, v["bytes_total"]);
        Assert.Equal(6, v["messages_dropped"]);
        Assert.Equal(0.3, v["cpu_utilisation"], 12);
        Assert.False(v.ContainsKey("safety_violations"));
    }

    [Fact]
    public void Throughput_is_derived_from_committed_tx_after_the_warm_up_unless_the_model_gave_it()
    {
        var m = new RunMetrics(Duration.FromSeconds(1));
        m.Series["committed_tx"] = [10, 10, 20, 20];
        var run = new ReplicationResult { Index = 0, Seed = 1, Metrics = m, Stats = Results.EmptyStats(4) };
        Assert.Equal(15, RunValues.Of(run, 0, false).Values["throughput_tps"], 12);
        // Warm-up 1.5 s rounds up to the bin at 2 s: (20 + 20) / (4 − 2).
        Assert.Equal(20, RunValues.Of(run, 1.5, false).Values["throughput_tps"], 12);
        m.Scalars["throughput_tps"] = 99;
        Assert.Equal(99, RunValues.Of(run, 0, false).Values["throughput_tps"]);
    }

    [Fact]
    public void Safety_violations_are_counted_for_every_run_once_any_run_has_one()
    {
        var s = ExperimentSummary.Of(Results.Settlement(samplesPerRun: 20));
        var onChain = s.Points.Single(p => p.Variant == "on-chain");
        var t1 = s.Points.Single(p => p.Variant == "t+1");
        Assert.Equal(1, onChain.Metrics["safety_violations"].Max);
        Assert.Equal(1.0 / 3, onChain.Metrics["safety_violations"].Mean, 12);
        Assert.Equal(0, t1.Metrics["safety_violations"].Max);
        Assert.Single(onChain.Findings);
        Assert.Equal(3 * 3600, onChain.Findings[0].TimeSeconds);
    }
}
