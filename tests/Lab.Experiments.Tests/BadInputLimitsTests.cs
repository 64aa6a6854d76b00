using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Experiments.Values;
using Lab.Sim.Distributions;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Experiments.Tests;

/// <summary>
/// The bounds on what validation reads, and the rules that make a value valid by construction: cases too
/// large for the BadInput corpus (generated here), or accepted ones whose handling is the point.
/// </summary>
public sealed class BadInputLimitsTests : IDisposable
{
    private const string Base = "name: t\nduration: 2s\nnetwork: { latency: 5ms }\nchain: { protocol: raft, nodes: 3 }\nworkload: { arrivals: constant(rate: 100/s) }\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("lab-limits").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private (Experiment? Experiment, Diagnostics Errors) Load(string yaml, InputLimits? limits = null, int keep = 100)
    {
        var file = Path.Combine(_dir, "e.yaml");
        File.WriteAllText(file, yaml);
        var d = new Diagnostics(keep);
        return (new ExperimentLoader(TestModels.Registry, limits).Load(file, [], d), d);
    }

    [Fact]
    public void A_hundred_thousand_unknown_keys_are_counted_and_only_the_first_hundred_kept()
    {
        var (e, d) = Load(Base + string.Concat(Enumerable.Range(0, 100_000).Select(i => $"zz{i}: 1\n")));
        Assert.Null(e);
        Assert.Equal(100_000, d.Count);
        Assert.Equal(100, d.Errors.Count);
        Assert.Equal(99_900, d.Dropped);
        Assert.Equal($"{Path.Combine(_dir, "e.yaml")}:6:1: zz0: unknown key", d.Sorted()[0].ToString());
    }

    [Fact]
    public void A_run_shorter_than_the_default_series_bin_gets_bins_of_a_tenth_of_it()
    {
        var (e, d) = Load(Base.Replace("duration: 2s", "duration: 500ms"));
        Assert.True(e is not null, string.Join("\n", d.Errors));
        Assert.Equal(Duration.FromMillis(50), e.Points[0].Config.Time("outputs.series-bin"));
        var (ready, _) = Load(Base);
        Assert.Equal(Duration.FromSeconds(1), ready!.Points[0].Config.Time("outputs.series-bin"));
    }

    [Theory]
    [InlineData("100000s", "1s")]   // exactly the bound: every ready file up to ~28 h keeps its 1 s bins
    [InlineData("100001s", "10s")]
    [InlineData("12d", "1min")]
    [InlineData("120d", "10min")]   // the trap: 10.4 million 1 s bins per series
    [InlineData("1000d", "1h")]
    [InlineData("3650d", "1h")]   // the longest run a duration may be
    public void A_long_run_without_a_series_bin_gets_the_finest_round_bin_within_a_hundred_thousand(string duration, string bin)
    {
        var (e, d) = Load(Base.Replace("duration: 2s", "duration: " + duration));
        Assert.True(e is not null, string.Join("\n", d.Errors));
        var chosen = e.Points[0].Config.Time("outputs.series-bin");
        Assert.Equal(Duration.Parse(bin), chosen);
        Assert.InRange(e.Points[0].Config.Time("duration").Nanos / (double)chosen.Nanos, 1, ExperimentLoader.DefaultSeriesBins);
    }

    [Fact]
    public void A_written_series_bin_within_the_limit_is_kept_and_the_limit_can_be_raised()
    {
        var coarse = Base.Replace("duration: 2s", "duration: 120d") + "outputs: { series-bin: 1min }\n";
        Assert.Equal(Duration.FromMinutes(1), Load(coarse).Experiment!.Points[0].Config.Time("outputs.series-bin"));
        var fine = Base.Replace("duration: 2s", "duration: 12d") + "outputs: { series-bin: 1s }\n";
        var (refused, r) = Load(fine);
        Assert.Null(refused);
        Assert.Contains("1036800 bins per series, more than the limit of 1000000", r.Errors.Single().Message);
        Assert.NotNull(Load(fine, InputLimits.Default.With("series-bins=2000000", out _)).Experiment);
    }

    [Fact]
    public void Each_limit_refuses_beyond_it_and_can_be_raised()
    {
        var nested = Base + "outputs: { charts: " + new string('[', 70) + new string(']', 70) + " }\n";
        var (deep, d) = Load(nested);
        Assert.Null(deep);
        Assert.Contains("nested more than 64 levels deep (raise it with --limit depth=N)", d.Errors.Single().Message);
        var (raised, r) = Load(nested, InputLimits.Default.With("depth=200", out _));
        Assert.DoesNotContain(r.Errors, x => x.Message.Contains("nested", StringComparison.Ordinal));

        var sweep = Base + "sweep: { seed: [1, 2, 3, 4, 5] }\nreplications: 3\n";
        var (many, m) = Load(sweep, InputLimits.Default with { Runs = 10 });
        Assert.Null(many);
        Assert.Equal("1 variant(s) × 5 sweep point(s) × 3 replication(s) = 15 runs, more than the limit of 10 (raise it with --limit runs=N)", m.Errors.Single().Message);
        Assert.NotNull(Load(sweep, InputLimits.Default with { Runs = 15 }).Experiment);

        var big = Base + "description: \"" + new string('x', 5000) + "\"\n";
        var (large, l) = Load(big, InputLimits.Default.With("file-size=4KB", out _));
        Assert.Null(large);
        Assert.Equal("is larger than 3.9 KiB, the limit for such files (raise it with --limit file-size=N)", l.Errors.Single().Message);
    }

    [Theory]
    [InlineData("depth=0", "--limit depth: expected a positive whole number, got '0'")]
    [InlineData("speed=3", "--limit: unknown limit 'speed' (known: file-size, data-size, depth, nodes, errors, runs, series-bins)")]
    [InlineData("file-size=big", "--limit file-size: expected a positive whole number or a size such as 64MB, got 'big'")]
    public void A_limit_that_is_not_one_is_refused(string text, string message)
    {
        Assert.Null(InputLimits.Default.With(text, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void A_heavy_tail_that_rarely_passes_the_maximum_is_capped_there()
    {
        // pareto(10ms, 2): one draw in a million above 10s, but one in 10^15 above 1h: capped at 1h.
        var (e, d) = Load(Base.Replace("latency: 5ms", "latency: 5ms, jitter: pareto(scale: 10ms, shape: 2)"));
        Assert.True(e is not null, string.Join("\n", d.Errors));
        var jitter = Assert.IsType<CappedDistribution>(e.Points[0].Config.Distribution("network.jitter"));
        Assert.Equal(3600, jitter.Cap);
        Assert.Equal(new Pareto(0.01, 2), jitter.Inner);
        var rng = new SimRandom(1);
        Assert.All(Enumerable.Range(0, 10_000).Select(_ => jitter.Sample(rng)), x => Assert.InRange(x, 0.01, 3600));
        // A light tail is left as it is.
        var (plain, _) = Load(Base.Replace("latency: 5ms", "latency: lognormal(median: 20ms, sigma: 0.5)"));
        Assert.IsType<LogNormal>(plain!.Points[0].Config.Distribution("network.latency"));
    }

    [Fact]
    public void Every_numeric_key_states_its_range()
    {
        var schema = new ExperimentLoader(TestModels.Registry).Schema;
        var numeric = schema.Keys.Where(k => k.Type is ScalarType<long> or ScalarType<double> or DistributionType
                                             || k.Type.Name is "duration" or "size" or "bandwidth" or "rate" or "money" or "factor" or "probability");
        Assert.All(numeric, k =>
        {
            var (min, max) = k.Type.Range(k);
            Assert.True(max is not null, $"{k.Path} has no largest value");
            Assert.NotEqual("", k.Type.DescribeRange(k));
        });
    }

    [Fact]
    public void An_error_message_is_one_line_of_bounded_length_whatever_the_value_quoted()
    {
        var (e, d) = Load(Base.Replace("latency: 5ms", "latency: \"lognormal(" + new string('(', 100_000) + ")\""));
        Assert.Null(e);
        Assert.InRange(d.Errors.Single().Message.Length, 10, Diagnostics.MaxMessage);
    }
}
