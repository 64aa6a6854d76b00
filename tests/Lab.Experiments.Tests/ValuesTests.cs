using Lab.Experiments.Values;
using Lab.Sim.Distributions;

namespace Lab.Experiments.Tests;

public class ValuesTests
{
    [Theory]
    [InlineData("512B", 512)]
    [InlineData("4KB", 4000)]
    [InlineData("1MB", 1_000_000)]
    [InlineData("1MiB", 1_048_576)]
    public void Sizes_parse_in_decimal_and_binary_units(string text, long bytes)
    {
        Assert.Null(Units.Size(text, out var s));
        Assert.Equal(bytes, s.Bytes);
    }

    [Theory]
    [InlineData("500/s", 500)]
    [InlineData("30/min", 0.5)]
    [InlineData("7200/h", 2)]
    public void Rates_are_per_second(string text, double perSecond)
    {
        Assert.Null(Units.Rate(text, out var r));
        Assert.Equal(perSecond, r.PerSecond, 9);
    }

    [Fact]
    public void Money_keeps_decimal_amount_and_currency()
    {
        Assert.Null(Units.Money("2.5M USD", out var m));
        Assert.Equal(2_500_000m, m.Amount);
        Assert.Equal("USD", m.Currency);
        Assert.NotNull(Units.Money("100 dollars", out _));
    }

    [Fact]
    public void Percentages_are_probabilities()
    {
        Assert.Null(Units.Probability("2.5%", out var p));
        Assert.Equal(0.025, p, 12);
        Assert.NotNull(Units.Probability("120%", out _));
    }

    [Fact]
    public void Time_distributions_are_in_seconds()
    {
        Assert.Null(DistributionParser.Parse("uniform(5ms, 15ms)", Dimension.Time, "", out var u));
        Assert.Equal(new Uniform(0.005, 0.015), u);
        Assert.Null(DistributionParser.Parse("exponential(mean: 20ms)", Dimension.Time, "", out var e));
        Assert.Equal(0.02, e!.Mean, 12);
        Assert.Null(DistributionParser.Parse("exponential(rate: 50/s)", Dimension.Time, "", out var e2));
        Assert.Equal(0.02, e2!.Mean, 12);
        Assert.Null(DistributionParser.Parse("pareto(scale: 10ms, shape: 3)", Dimension.Time, "", out var p));
        Assert.Equal(new Pareto(0.01, 3), p);
        Assert.Null(DistributionParser.Parse("lognormal(median: 20ms, sigma: 0.5)", Dimension.Time, "", out var ln));
        Assert.Equal(Math.Log(0.02), ((LogNormal)ln!).Mu, 12);
        Assert.Null(DistributionParser.Parse("5ms", Dimension.Time, "", out var c));
        Assert.Equal(new Constant(0.005), c);
        Assert.Null(DistributionParser.Parse("gamma(shape: 2, scale: 10ms)", Dimension.Time, "", out var g));
        Assert.Equal(0.02, g!.Mean, 12);
        Assert.Null(DistributionParser.Parse("normal(mean: 20ms, sd: 5ms)", Dimension.Time, "", out var n));
        Assert.Equal(new TruncatedNormal(0.02, 0.005), n);
    }

    [Fact]
    public void Empirical_distributions_read_a_table_relative_to_the_experiment()
    {
        var dir = Directory.CreateTempSubdirectory("lab-empirical").FullName;
        File.WriteAllText(Path.Combine(dir, "delays.csv"), "# value, cumulative probability\n1ms, 0\n3ms, 0.5\n5ms, 1\n");
        Assert.Null(DistributionParser.Parse("empirical(file: delays.csv)", Dimension.Time, dir, out var d));
        Assert.Equal(0.003, d!.Mean, 9);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("uniform(15ms, 5ms)", "uniform: high must not be below low")]
    [InlineData("exponential(mean: -1s)", "exponential: parameters must be positive")]
    [InlineData("weibull(1, 2)", "unknown distribution 'weibull': use constant, uniform, normal, lognormal, exponential, pareto, gamma, empirical")]
    [InlineData("uniform(5ms, 15ms, 20ms)", "uniform: too many values")]
    [InlineData("pareto(scale: 10, shape: 3)", "pareto: scale: '10' has no unit: write e.g. 10ms or 10s")]
    public void Bad_distributions_say_what_is_wrong(string text, string message)
    {
        Assert.Equal(message, DistributionParser.Parse(text, Dimension.Time, "", out _));
    }
}
