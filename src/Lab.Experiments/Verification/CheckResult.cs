namespace Lab.Experiments.Verification;

/// <summary>How a check came out.</summary>
public enum CheckOutcome
{
    Pass,
    /// <summary>Measured outside the tolerance: the lab disagrees with the source.</summary>
    Fail,
    /// <summary>The check cannot be evaluated (e.g. it names a metric the run does not report): a mistake in the file.</summary>
    Invalid,
}

/// <summary>One check's outcome, with the numbers as the table prints them.</summary>
/// <param name="Expected">The expected value (a list for <c>values</c>).</param>
/// <param name="Measured">What the lab gave: the statistic, a range for <c>every</c>, a mean and interval for a confidence rule.</param>
/// <param name="Allowed">The tolerance in numbers (e.g. <c>± 1e-09</c>, <c>99% CI ± 0.0041</c>).</param>
/// <param name="Note">Why it failed or could not be evaluated; empty when it passed.</param>
public sealed record CheckResult(Check Check, CheckOutcome Outcome, string Expected, string Measured, string Allowed, string Note)
{
    public bool Passed => Outcome == CheckOutcome.Pass;
}
