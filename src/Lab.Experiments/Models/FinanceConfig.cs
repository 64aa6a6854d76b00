using System.Globalization;
using Lab.Experiments.Validation;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>Checks and readings every finance scenario's model makes of its configuration the same way.</summary>
public static class FinanceConfig
{
    /// <summary>The run's <c>start</c>: an ISO 8601 instant with its offset (virtual time 0 on the business clock).</summary>
    public static bool TryStart(string text, out DateTimeOffset start) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out start);

    /// <summary>Reports at <c>duration</c> a run that ends before <paramref name="end"/>: "too short for
    /// <paramref name="what"/>: at least N days (<paramref name="why"/>)", N rounded up to whole days.</summary>
    public static void RequireDuration(RunConfig c, SimTime end, string what, string why, Diagnostics problems)
    {
        if (SimTime.Zero + c.Time("duration") < end)
            problems.Error(c.MarkOf("duration"), "duration", $"too short for {what}: at least {Duration.FromSeconds(Math.Ceiling(end.Seconds / 86400) * 86400)} ({why})");
    }
}
