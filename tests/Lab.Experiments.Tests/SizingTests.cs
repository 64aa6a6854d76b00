using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Sizing;
using Lab.Experiments.Validation;

namespace Lab.Experiments.Tests;

public sealed class SizingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lab-size").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    // ---- the search alone, against loads whose verdict is known ----

    private static SearchOutcome Search(SearchOptions options, Func<double, int> level)
    {
        var s = new LoadSearch(options);
        while (s.Next() is { } load) s.Record(load, level(load));
        return s.Outcome();
    }

    [Theory]
    [InlineData(1000, 4321)]
    [InlineData(50_000, 4321)]
    [InlineData(10, 77.7)]
    public void Bracketing_and_bisection_find_a_sharp_knee_within_the_tolerance_from_any_start(double start, double knee)
    {
        var o = Search(new SearchOptions(start, 1, 1e6, Tolerance: 0.02), load => load <= knee ? 3 : 0);
        Assert.True(o.Monotone);
        Assert.False(o.AboveMax || o.BelowMin || o.Unresolved);
        Assert.InRange(o.Sure!.Value, knee / 1.02, knee);
        Assert.InRange(o.SureFails!.Value, knee, o.Sure.Value * 1.02);
        Assert.Equal(o.Sure, o.Possible);
    }

    [Fact]
    public void The_answer_is_the_load_that_surely_passes_and_the_interval_runs_to_the_load_that_possibly_does()
    {
        // Surely up to 900, by the mean up to 1000, possibly up to 1100: the three are searched together.
        var o = Search(new SearchOptions(500, 1, 1e6, Tolerance: 0.01), load => load <= 900 ? 3 : load <= 1000 ? 2 : load <= 1100 ? 1 : 0);
        Assert.InRange(o.Sure!.Value, 900 / 1.01, 900);
        Assert.InRange(o.ByMean!.Value, 1000 / 1.01, 1000);
        Assert.InRange(o.Possible!.Value, 1100 / 1.01, 1100);
    }

    [Fact]
    public void A_point_that_is_not_monotone_is_reported_not_hidden()
    {
        // Passes up to 300, fails up to 700, passes by the mean again up to 1200 (e.g. a timeout that only
        // fires at middling loads): bracketing down from 1000 sees 500 fail below a 1000 that passed.
        var o = Search(new SearchOptions(1000, 1, 1e6, Tolerance: 0.02), load => load <= 300 ? 3 : load <= 700 ? 0 : load <= 1200 ? 2 : 0);
        Assert.False(o.Monotone);
        Assert.Contains(o.Inversions, i => i.Fails == 500 && i.Passes == 1000);
        // The answer stays below the first load that failed: the conservative reading.
        Assert.InRange(o.Sure!.Value, 300 / 1.02, 300);
        Assert.Contains("non-monotone", Sizing.SizingReport.Status(o));
    }

    [Fact]
    public void A_point_that_fails_at_the_minimum_has_no_answer_and_one_that_passes_at_the_maximum_has_a_lower_bound()
    {
        var none = Search(new SearchOptions(100, 1, 1000), _ => 0);
        Assert.True(none.BelowMin);
        Assert.Null(none.Sure);
        var all = Search(new SearchOptions(100, 1, 1000), _ => 3);
        Assert.True(all.AboveMax);
        Assert.Equal(1000, all.Sure);
    }

    // ---- targets ----

    [Theory]
    [InlineData("commit_latency_s.p99<=2s", "commit_latency_s", "p99", true, 2)]
    [InlineData("commit_latency_s.p99.9 <= 250ms", "commit_latency_s", "p99.9", true, 0.25)]
    [InlineData("unavailable_s<=5s", "unavailable_s", null, true, 5)]
    [InlineData("goodput>=0.99", "goodput", null, false, 0.99)]
    [InlineData("commit_latency_s.mean ≤ 1s", "commit_latency_s", "mean", true, 1)]
    public void Targets_read_a_metric_a_statistic_and_a_bound_with_units(string text, string metric, string? statistic, bool atMost, double bound)
    {
        var t = SizingTarget.Parse(text, out var error);
        Assert.True(t is not null, error);
        Assert.Equal(metric, t.Metric);
        Assert.Equal(statistic, t.Statistic?.ToString());
        Assert.Equal(atMost, t.AtMost);
        Assert.Equal(bound, t.Bound, 12);
    }

    [Theory]
    [InlineData("commit_latency_s.p99 < 2s")]
    [InlineData("<=2s")]
    [InlineData("commit_latency_s.p99<=2 parsecs")]
    public void A_malformed_target_is_refused_with_a_reason(string text)
    {
        Assert.Null(SizingTarget.Parse(text, out var error));
        Assert.Contains(text.Trim(), error);
    }

    [Fact]
    public void A_load_passes_only_if_the_upper_end_of_its_interval_meets_the_bound()
    {
        var t = SizingTarget.Parse("commit_latency_s.p99<=2s", out _)!;
        Assert.Equal(3, t.Judge([1.0, 1.1, 1.2]).Level);
        Assert.Equal(2, t.Judge([1.0, 2.5, 1.5]).Level);   // mean 1.67 meets it, the interval's upper end does not
        Assert.Equal(1, t.Judge([2.1, 2.2, 2.3]).Level);   // only the interval's lower end meets it
        Assert.Equal(0, t.Judge([2.5, 2.6, 2.7]).Level);
        Assert.Equal(0, t.Judge([1.0, null, 1.0]).Level);  // a run without a value (nothing committed) fails
    }

    // ---- the whole of lab size on a closed form ----

    /// <summary>
    /// A solo orderer that spends exactly 1 ms of CPU on each transaction (its signature check) and nothing
    /// else, with arrivals evenly spaced and no network delay: a D/D/1 queue whose capacity is 1/cost =
    /// 1000 tx/s. Below it every transaction commits in 1 ms; above it the backlog grows by (λ − 1000)/s,
    /// so by the end of a 6 s run the p99 latency is far past 50 ms once λ exceeds 1000 by ~1%.
    /// </summary>
    private string Solo()
    {
        var file = Path.Combine(_dir, "solo.yaml");
        File.WriteAllText(file, """
            name: solo-capacity
            seed: 11
            duration: 6s
            warmup: 1s
            network: { latency: 0s }
            chain:
              protocol: solo
              nodes: 1
              block: { max-tx: 1, timeout: 0s }
              cpu: { verify: 1ms, sign: 0s, hash-per-kb: 0s }
            workload:
              arrivals: constant(rate: 300/s)
              clients: { count: 1 }
            replications: 2
            """);
        return file;
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Lab_size_finds_the_capacity_of_a_solo_orderer_with_a_fixed_cpu_cost_per_transaction()
    {
        var loader = new ExperimentLoader(ModelRegistry.Default);
        var sizer = new Sizer(loader);
        var d = new Diagnostics();
        var e = sizer.Prepare(Solo(), [], "workload.rate", d);
        Assert.True(e is not null, string.Join("\n", d.Sorted()));
        var tolerance = 0.02;
        var result = sizer.Run(e, "workload.rate", [SizingTarget.Parse("commit_latency_s.p99<=50ms", out _)!],
            p => new SearchOptions(Sizer.StartOf(p, "workload.rate"), 1, 1e6, tolerance),
            new LocalRunExecutor(new ExperimentRunner(ModelRegistry.Default), 2), null, null, default);
        var row = Assert.Single(result.Rows);
        var o = row.Outcome;
        Assert.True(o.Monotone);
        // Capacity 1/cost = 1000 tx/s: the answer is within the stated tolerance below it, and the knee above it
        // lies within 1% (the 50 ms the target allows is a backlog of 1% of a 6 s run... less than 1% over capacity).
        Assert.InRange(o.Sure!.Value, 1000 * (1 - tolerance), 1000);
        Assert.InRange(o.SureFails!.Value, 1000, 1000 * (1 + tolerance) * 1.01);
        Assert.Equal("n0's CPU", row.Binding.Resource);
        Assert.Contains("n0's CPU saturates first", Sizing.SizingReport.Sentence(result, row));
        Assert.Contains("goodput", string.Join(",", result.Targets.Select(t => t.Metric)));
    }

    [Fact]
    public void Lab_size_refuses_a_file_that_sweeps_the_load_it_searches()
    {
        var file = Path.Combine(_dir, "swept.yaml");
        File.WriteAllText(file, File.ReadAllText(Solo()) + "\nsweep:\n  workload.rate: [100/s, 200/s]\n");
        var d = new Diagnostics();
        Assert.Null(new Sizer(new ExperimentLoader(ModelRegistry.Default)).Prepare(file, [], "workload.rate", d));
        Assert.Contains(d.Errors, x => x.Message.Contains("sets the load that lab size searches"));
    }

    [Fact]
    public void Goodput_counts_what_was_submitted_not_the_nominal_rate()
    {
        // A Poisson draw that offered 483/s of a nominal 500/s, of which 476/s became final: served, not 5% short.
        var measured = new Lab.Reports.Statistics.RunValues();
        measured.Values["throughput_tps"] = 476;
        measured.Values[SizingTarget.Goodput] = 476.0 / 483;
        Assert.Equal(476.0 / 483, SizingTarget.DefaultGoodput.RunValue(measured, 500));
        // Without the submitted/committed series: throughput over the load probed.
        var plain = new Lab.Reports.Statistics.RunValues();
        plain.Values["throughput_tps"] = 476;
        Assert.Equal(476.0 / 500, SizingTarget.DefaultGoodput.RunValue(plain, 500));
    }
}
