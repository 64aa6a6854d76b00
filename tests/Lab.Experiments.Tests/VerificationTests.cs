using Lab.Experiments.Validation;
using Lab.Experiments.Verification;
using Lab.Experiments.Yaml;
using Lab.Reports.Statistics;

namespace Lab.Experiments.Tests;

public class ExpressionTests
{
    private static double Value(string text) => Expression.Parse(text, allowMetrics: false).Value!.Value;

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("2 ^ 3 ^ 2", 512)]          // right-associative
    [InlineData("-2 ^ 2", -4)]              // the power binds tighter than the sign
    [InlineData("1 - 2 - 3", -4)]           // left-associative
    [InlineData("5 * 10ms", 0.05)]          // times are in seconds
    [InlineData("2min / 4", 30)]
    [InlineData("1e-3 + 2.5e2", 250.001)]
    [InlineData("exp(0) + ln(1) + sqrt(16) + abs(-2)", 7)]
    [InlineData("1_000 / 4", 250)]
    public void Arithmetic_follows_the_usual_precedence_with_times_in_seconds(string text, double expected) =>
        Assert.Equal(expected, Value(text), 12);

    [Fact]
    public void The_Eyal_Sirer_formula_as_written_in_a_file_gives_the_published_threshold()
    {
        // At γ = 0 the threshold is α = 1/3: revenue equals hash share there.
        var a = (1.0 / 3).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var text = $"({a} * (1 - {a})^2 * (4 * {a} + 0 * (1 - 2 * {a})) - {a}^3) / (1 - {a} * (1 + (2 - {a}) * {a}))";
        Assert.Equal(1.0 / 3, Value(text), 9);
    }

    [Fact]
    public void A_formula_of_metrics_reads_each_metric_once_and_evaluates_per_run()
    {
        var (e, error, _) = Expression.Parse("(messages_total - 16) / committed_tx + messages_total * 0", allowMetrics: true);
        Assert.Null(error);
        Assert.Equal(["messages_total", "committed_tx"], e!.Metrics);
        Assert.Null(e.MetricName);
        Assert.Equal(10, e.Evaluate(n => n == "messages_total" ? 56 : 4));
        Assert.Null(e.Evaluate(n => n == "messages_total" ? 56 : null));
        Assert.Equal("commit_latency_s", Expression.Parse("commit_latency_s", true).Value!.MetricName);
    }

    [Theory]
    [InlineData("", 0, "empty")]
    [InlineData("2 * (3 + 4", 10, "missing ')'")]
    [InlineData("2 * 3)", 5, "')' without its '('")]
    [InlineData("3 * 1xs", 5, "'xs' is not a time unit")]
    [InlineData("cos(1)", 0, "unknown function 'cos'")]
    [InlineData("2 * latency", 4, "'latency' is not a number")]
    [InlineData("1 +", 3, "ends too early")]
    public void Mistakes_are_reported_with_the_offset_of_the_culprit(string text, int offset, string message)
    {
        var (e, error, at) = Expression.Parse(text, allowMetrics: false);
        Assert.Null(e);
        Assert.Contains(message, error);
        Assert.Equal(offset, at);
    }
}

public class VerifierTests
{
    /// <summary>Parses one check written as it would be in a file.</summary>
    private static Check CheckOf(string yaml)
    {
        var d = new Diagnostics();
        var node = YamlReader.Read("t.yaml", "checks:\n  - check: c\n    source: s\n" + string.Join("\n", yaml.Split('\n').Select(l => "    " + l)) + "\n", d);
        var spec = VerifyParser.Parse(node!, d);
        Assert.False(d.HasErrors, string.Join("\n", d.Sorted()));
        return spec!.Checks[0];
    }

    private static RunValues Run(double value, params double[] samples)
    {
        var r = new RunValues();
        r.Values["m"] = value;
        if (samples.Length > 0) r.Samples["m"] = samples;
        return r;
    }

    [Fact]
    public void Every_fails_when_one_sample_is_outside_and_says_how_many()
    {
        var c = CheckOf("metric: m\nstatistic: every\nexpect: 50ms\ntolerance: 1ns");
        var pass = Verifier.Evaluate(c, [Run(0.05, 0.05, 0.05), Run(0.05, 0.05)], null);
        Assert.Equal(CheckOutcome.Pass, pass.Outcome);
        var fail = Verifier.Evaluate(c, [Run(0.05, 0.05, 0.05), Run(0.06, 0.05, 0.07)], null);
        Assert.Equal(CheckOutcome.Fail, fail.Outcome);
        Assert.Contains("1 of 4 values outside", fail.Note);
    }

    [Fact]
    public void Percentiles_min_and_max_read_the_pooled_samples_and_mean_the_run_values()
    {
        var runs = new[] { Run(2, 1, 2, 3), Run(10, 4, 5, 6, 100) };
        Assert.Equal(CheckOutcome.Pass, Verifier.Evaluate(CheckOf("metric: m\nstatistic: max\nexpect: 100\ntolerance: 0"), runs, null).Outcome);
        Assert.Equal(CheckOutcome.Pass, Verifier.Evaluate(CheckOf("metric: m\nstatistic: min\nexpect: 1\ntolerance: 0"), runs, null).Outcome);
        Assert.Equal(CheckOutcome.Pass, Verifier.Evaluate(CheckOf("metric: m\nstatistic: p50\nexpect: 4\ntolerance: 0"), runs, null).Outcome);
        // The mean is over the two runs' values (as in summary.json), not over the seven samples.
        Assert.Equal(CheckOutcome.Pass, Verifier.Evaluate(CheckOf("metric: m\nstatistic: mean\nexpect: 6\ntolerance: 0"), runs, null).Outcome);
        Assert.Equal(CheckOutcome.Fail, Verifier.Evaluate(CheckOf("metric: m\nstatistic: mean\nexpect: 6.1\ntolerance: 1%"), runs, null).Outcome);
        Assert.Equal(CheckOutcome.Pass, Verifier.Evaluate(CheckOf("metric: m\nstatistic: mean\nexpect: 6.1\ntolerance: 2%"), runs, null).Outcome);
    }

    [Fact]
    public void Values_compares_the_sorted_samples_one_by_one()
    {
        var c = CheckOf("metric: m\nstatistic: values\nexpect: [0.8, 1.6, 2.4]\ntolerance: 1us");
        Assert.Equal(CheckOutcome.Pass, Verifier.Evaluate(c, [Run(0, 2.4, 0.8, 1.6)], null).Outcome);
        var off = Verifier.Evaluate(c, [Run(0, 2.4, 0.8, 1.7)], null);
        Assert.Equal(CheckOutcome.Fail, off.Outcome);
        Assert.Contains("value 2 is 1.7, expected 1.6", off.Note);
        var extra = Verifier.Evaluate(c, [Run(0, 2.4, 0.8, 1.6, 3.2)], null);
        Assert.Equal(CheckOutcome.Fail, extra.Outcome);
        Assert.Contains("4 values measured, 3 expected", extra.Note);
    }

    [Fact]
    public void A_confidence_rule_passes_inside_the_student_t_interval_and_fails_outside_it()
    {
        // Values 1, 2, 3: mean 2, s = 1, t(0.995, 2) = 9.925 → half-width 9.925 / √3 = 5.73.
        var runs = new[] { Run(1), Run(2), Run(3) };
        Assert.Equal(CheckOutcome.Pass, Verifier.Evaluate(CheckOf("metric: m\nstatistic: mean\nexpect: 7.7\ntolerance: ci99"), runs, null).Outcome);
        Assert.Equal(CheckOutcome.Fail, Verifier.Evaluate(CheckOf("metric: m\nstatistic: mean\nexpect: 7.8\ntolerance: ci99"), runs, null).Outcome);
        // t(0.975, 2) = 4.303 → 2.48.
        Assert.Equal(CheckOutcome.Pass, Verifier.Evaluate(CheckOf("metric: m\nstatistic: mean\nexpect: 4.45\ntolerance: ci95"), runs, null).Outcome);
        Assert.Equal(CheckOutcome.Fail, Verifier.Evaluate(CheckOf("metric: m\nstatistic: mean\nexpect: 4.5\ntolerance: ci95"), runs, null).Outcome);
    }

    [Fact]
    public void Minus_subtracts_the_other_point_run_by_run()
    {
        var c = CheckOf("metric: m\nstatistic: every\nexpect: 40\ntolerance: 0");
        Assert.Equal(CheckOutcome.Pass, Verifier.Evaluate(c, [Run(98), Run(100)], [Run(58), Run(60)]).Outcome);
        Assert.Equal(CheckOutcome.Fail, Verifier.Evaluate(c, [Run(98), Run(100)], [Run(60), Run(58)]).Outcome);
    }

    [Fact]
    public void A_bound_holds_on_its_side_only()
    {
        var most = CheckOf("metric: m\nstatistic: max\nexpect: 10\ntolerance: at-most");
        Assert.Equal(CheckOutcome.Pass, Verifier.Evaluate(most, [Run(0, 3, 10)], null).Outcome);
        Assert.Equal(CheckOutcome.Fail, Verifier.Evaluate(most, [Run(0, 3, 10.5)], null).Outcome);
        var least = CheckOf("metric: m\nstatistic: min\nexpect: 3\ntolerance: at-least");
        Assert.Equal(CheckOutcome.Pass, Verifier.Evaluate(least, [Run(0, 3, 100)], null).Outcome);
        Assert.Equal(CheckOutcome.Fail, Verifier.Evaluate(least, [Run(0, 2.9, 100)], null).Outcome);
    }

    [Fact]
    public void Over_divides_by_the_other_point_run_by_run()
    {
        // "Compact blocks cut the median delay by 90%": the ratio is 0.1.
        var c = CheckOf("metric: m\nstatistic: mean\nexpect: 1 - 0.9\ntolerance: 1%");
        var r = Verifier.Evaluate(c with { Combination = Combination.Over }, [Run(0.5), Run(0.7)], [Run(5), Run(7)]);
        Assert.Equal(CheckOutcome.Pass, r.Outcome);
        Assert.Equal(CheckOutcome.Fail, Verifier.Evaluate(c with { Combination = Combination.Over }, [Run(0.5), Run(0.7)], [Run(7), Run(5)]).Outcome);
    }

    [Fact]
    public void A_metric_the_run_does_not_report_makes_the_check_invalid_with_a_suggestion()
    {
        var r = Verifier.Evaluate(CheckOf("metric: n\nstatistic: mean\nexpect: 1\ntolerance: 0"), [Run(1)], null);
        Assert.Equal(CheckOutcome.Invalid, r.Outcome);
        Assert.Contains("no metric 'n'", r.Note);
        var f = Verifier.Evaluate(CheckOf("metric: mm / 2\nstatistic: mean\nexpect: 1\ntolerance: 0"), [Run(1)], null);
        Assert.Contains("did you mean 'm'", f.Note);
    }
}
