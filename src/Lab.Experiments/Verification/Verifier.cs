using System.Globalization;
using Lab.Reports;
using Lab.Reports.Statistics;
using Lab.Sim.Metrics;
using MathNet.Numerics.Distributions;

namespace Lab.Experiments.Verification;

/// <summary>
/// Evaluates an experiment's checks against its result. The values are those of <c>summary.json</c>
/// (<see cref="RunValues"/>: one value per run and metric; for a sample metric, the run's samples
/// and their mean), so a check reads the same numbers a reader of the results folder sees.
/// </summary>
public static class Verifier
{
    public static IReadOnlyList<CheckResult> Evaluate(Experiment experiment, ExperimentResult result)
    {
        if (experiment.Verify is not { } spec) return [];
        var countSafety = ExperimentSummary.CountsSafety(result);
        var runsOf = new Dictionary<int, IReadOnlyList<RunValues>>();
        IReadOnlyList<RunValues> Runs(int point) =>
            runsOf.TryGetValue(point, out var r) ? r
                : runsOf[point] = [.. result.Points[point].Replications.Select(x => RunValues.Of(x, experiment.Warmup.TotalSeconds, countSafety))];
        return [.. spec.Checks.Select(c => Evaluate(c, Runs(c.Point), c.OtherPoint >= 0 ? Runs(c.OtherPoint) : null))];
    }

    /// <summary>Evaluates one check given the run values of its point (and of its <c>minus:</c> or <c>over:</c> point).</summary>
    public static CheckResult Evaluate(Check c, IReadOnlyList<RunValues> runs, IReadOnlyList<RunValues>? other)
    {
        var expected = c.Expect.Select(e => e.Value).ToArray();
        var expectedText = c.Statistic.Kind == StatisticKind.Values ? "[" + string.Join(", ", expected.Select(v => Show(v))) + "]" : Show(expected[0]);
        var allowed = Allowed(c.Tolerance, expected);
        CheckResult Result(CheckOutcome o, string measured, string note, string? allowedText = null) => new(c, o, expectedText, measured, allowedText ?? allowed, note);

        var (perRun, distribution, missing) = Values(c, runs);
        if (missing is not null) return Result(CheckOutcome.Invalid, "—", missing);
        if (other is not null)
        {
            var word = c.Combination == Combination.Minus ? "minus" : "over";
            var (there, _, missingThere) = Values(c, other);
            if (missingThere is not null) return Result(CheckOutcome.Invalid, "—", $"{missingThere} (at the {word}: point)");
            if (there.Length != perRun.Length) return Result(CheckOutcome.Invalid, "—", $"the {word}: point reports the metric in {there.Length} runs, this one in {perRun.Length}");
            // Same replication, same seed: the two points are combined run by run.
            perRun = [.. perRun.Zip(there, (a, b) => c.Combination == Combination.Minus ? a - b : a / b)];
            distribution = perRun;
        }
        if (perRun.Length == 0 || distribution.Length == 0) return Result(CheckOutcome.Invalid, "—", "no values at this point");

        var sorted = distribution.ToArray();
        Array.Sort(sorted);
        switch (c.Statistic.Kind)
        {
            case StatisticKind.Mean when c.Tolerance.Kind == ToleranceKind.Confidence:
            {
                var mean = RunValues.InOrderMean(perRun);
                var half = HalfWidth(perRun, c.Tolerance.Amount);
                var inside = Math.Abs(expected[0] - mean) <= half;
                return Result(inside ? CheckOutcome.Pass : CheckOutcome.Fail, $"{Show(mean)} [{Show(mean - half)}, {Show(mean + half)}]",
                    inside ? "" : $"{Show(expected[0])} is outside the interval ({perRun.Length} replications)",
                    $"{c.Tolerance.Amount * 100:0.##}% CI ± {Show(half)}");
            }
            case StatisticKind.Every:
            {
                var outside = distribution.Count(v => !Within(v, expected[0], c.Tolerance));
                var range = sorted[0] == sorted[^1] ? Show(sorted[0]) : $"{Show(sorted[0])} … {Show(sorted[^1])}";
                return Result(outside == 0 ? CheckOutcome.Pass : CheckOutcome.Fail, $"{range} (n = {sorted.Length})",
                    outside == 0 ? "" : $"{outside} of {sorted.Length} values outside");
            }
            case StatisticKind.Values:
            {
                var measured = "[" + string.Join(", ", sorted.Select(v => Show(v))) + "]";
                if (sorted.Length != expected.Length)
                    return Result(CheckOutcome.Fail, measured, $"{sorted.Length} values measured, {expected.Length} expected");
                var bad = Enumerable.Range(0, sorted.Length).Where(i => !Within(sorted[i], expected[i], c.Tolerance)).ToList();
                return Result(bad.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Fail, measured,
                    bad.Count == 0 ? "" : $"value {bad[0] + 1} is {Show(sorted[bad[0]], expected[bad[0]])}, expected {Show(expected[bad[0]], sorted[bad[0]])}" + (bad.Count > 1 ? $" ({bad.Count} differ)" : ""));
            }
            default:
            {
                var value = c.Statistic.Kind switch
                {
                    StatisticKind.Mean => RunValues.InOrderMean(perRun),
                    StatisticKind.Min => sorted[0],
                    StatisticKind.Max => sorted[^1],
                    _ => Quantile.OfSorted(sorted, c.Statistic.P),
                };
                var ok = Within(value, expected[0], c.Tolerance);
                return Result(ok ? CheckOutcome.Pass : CheckOutcome.Fail, Show(value, expected[0]),
                    ok ? "" : double.IsNaN(value) ? "not a number"
                        : c.Tolerance.Kind is ToleranceKind.AtMost or ToleranceKind.AtLeast ? $"beyond the bound by {Show(Math.Abs(value - expected[0]))}"
                        : $"off by {Show(value - expected[0])}");
            }
        }
    }

    /// <summary>
    /// The run values of a check's metric: per run, and the distribution the percentiles describe
    /// (a sample metric's pooled samples; otherwise the per-run values). A formula is evaluated run by run.
    /// </summary>
    private static (double[] PerRun, double[] Distribution, string? Missing) Values(Check c, IReadOnlyList<RunValues> runs)
    {
        if (c.Metric.MetricName is { } name)
        {
            var perRun = runs.Where(r => r.Values.ContainsKey(name)).Select(r => r.Values[name]).ToArray();
            if (perRun.Length == 0) return ([], [], Unknown(name, runs));
            var pooled = runs.Where(r => r.Samples.ContainsKey(name)).SelectMany(r => r.Samples[name]).ToArray();
            return (perRun, pooled.Length > 0 ? pooled : perRun, null);
        }
        foreach (var n in c.Metric.Metrics)
            if (!runs.All(r => r.Values.ContainsKey(n))) return ([], [], Unknown(n, runs));
        var values = runs.Select(r => c.Metric.Evaluate(n => r.Values[n])!.Value).ToArray();
        return (values, values, null);
    }

    private static string Unknown(string name, IReadOnlyList<RunValues> runs)
    {
        var known = runs.SelectMany(r => r.Values.Keys).Distinct().ToList();
        return known.Contains(name)
            ? $"metric '{name}' is missing in some replications"
            : $"no metric '{name}' at this point" + (Schema.Suggest.Closest(name, known) is { } h ? $"; did you mean '{h}'?" : "");
    }

    private static bool Within(double measured, double expected, Tolerance t) => !double.IsNaN(measured) && t.Kind switch
    {
        ToleranceKind.AtMost => measured <= expected,
        ToleranceKind.AtLeast => measured >= expected,
        ToleranceKind.Relative => Math.Abs(measured - expected) <= t.Amount * Math.Abs(expected),
        _ => Math.Abs(measured - expected) <= t.Amount,
    };

    /// <summary>Half-width of the two-sided Student-t interval of the mean at <paramref name="level"/>.</summary>
    private static double HalfWidth(double[] values, double level)
    {
        if (values.Length < 2) return 0;
        var mean = RunValues.InOrderMean(values);
        double ss = 0;
        foreach (var v in values) ss += (v - mean) * (v - mean);
        var sd = Math.Sqrt(ss / (values.Length - 1));
        return StudentT.InvCDF(0, 1, values.Length - 1, 1 - (1 - level) / 2) * sd / Math.Sqrt(values.Length);
    }

    private static string Allowed(Tolerance t, double[] expected) => t.Kind switch
    {
        ToleranceKind.Relative when expected.Length == 1 => $"± {t.Amount * 100:0.###}% (± {Show(t.Amount * Math.Abs(expected[0]))})",
        ToleranceKind.Relative => $"± {t.Amount * 100:0.###}% each",
        ToleranceKind.Absolute => $"± {Show(t.Amount)}",
        ToleranceKind.AtMost => "at most (bound)",
        ToleranceKind.AtLeast => "at least (bound)",
        _ => $"{t.Amount * 100:0.##}% CI",
    };

    /// <summary>Six significant digits; more when that is what tells <paramref name="v"/> from <paramref name="other"/>.</summary>
    private static string Show(double v, double other)
    {
        var s = Show(v);
        if (s != Show(other) || v == other) return s;
        return Exponent(v.ToString("G12", CultureInfo.InvariantCulture));
    }

    /// <summary>Six significant digits, exponents written 1e-9 rather than 1E-09.</summary>
    public static string Show(double v) => Exponent(v.ToString("G6", CultureInfo.InvariantCulture));

    private static string Exponent(string s)
    {
        var e = s.IndexOf('E');
        if (e < 0) return s;
        var exponent = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
        return s[..e] + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }
}
