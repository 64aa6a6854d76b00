using System.Globalization;

namespace Lab.Experiments.Verification;

/// <summary>How a measured value may differ from the expected one.</summary>
public enum ToleranceKind
{
    /// <summary>|measured − expected| ≤ amount, in the metric's unit (seconds for times).</summary>
    Absolute,
    /// <summary>|measured − expected| ≤ amount × |expected|.</summary>
    Relative,
    /// <summary>The expected value lies inside the two-sided Student-t confidence interval, at level amount, of the mean over replications.</summary>
    Confidence,
    /// <summary>measured ≤ expected: the expected value is a bound (e.g. what an uplink allows).</summary>
    AtMost,
    /// <summary>measured ≥ expected.</summary>
    AtLeast,
}

/// <summary>
/// A check's <c>tolerance:</c> — an absolute amount (<c>0.002</c>, <c>1us</c>), a share of the
/// expected value (<c>5%</c>) or a confidence-interval rule (<c>ci99</c>: the expected value lies
/// in the 99% Student-t interval of the mean over replications), or a one-sided bound (<c>at-most</c>,
/// <c>at-least</c>: the expected value is a limit the measured one must not cross).
/// </summary>
public sealed record Tolerance(ToleranceKind Kind, double Amount)
{
    public const string Forms = "an absolute amount (0.002, 1us), a share of the expected value (5%), ci95/ci99 (the expected value lies in that confidence interval of the mean over replications), or at-most/at-least (the expected value is a bound)";

    /// <summary>Parses the text; returns the tolerance or an error message.</summary>
    public static (Tolerance? Value, string? Error) Parse(string text)
    {
        var t = text.Trim();
        if (t == "at-most") return (new(ToleranceKind.AtMost, 0), null);
        if (t == "at-least") return (new(ToleranceKind.AtLeast, 0), null);
        if (t.StartsWith("ci", StringComparison.Ordinal))
        {
            if (double.TryParse(t[2..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var level) && level is >= 50 and < 100)
                return (new(ToleranceKind.Confidence, level / 100), null);
            return (null, $"'{t}' is not a confidence level: write ci95 or ci99");
        }
        if (t.EndsWith('%'))
        {
            if (double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var pct) && pct >= 0)
                return (new(ToleranceKind.Relative, pct / 100), null);
            return (null, $"'{t}' is not a percentage: write e.g. 5%");
        }
        var (e, _, _) = Expression.Parse(t, allowMetrics: false);
        if (e is null) return (null, $"'{t}' is not a tolerance: write {Forms}");
        var amount = e.Value;
        if (!(amount >= 0) || double.IsInfinity(amount)) return (null, $"a tolerance must be a finite amount ≥ 0, got '{t}'");
        return (new(ToleranceKind.Absolute, amount), null);
    }

    public override string ToString() => Kind switch
    {
        ToleranceKind.Relative => "± " + (Amount * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%",
        ToleranceKind.Confidence => "in its " + (Amount * 100).ToString("0.###", CultureInfo.InvariantCulture) + "% CI",
        ToleranceKind.AtMost => "at most",
        ToleranceKind.AtLeast => "at least",
        _ => "± " + Verifier.Show(Amount),
    };
}
