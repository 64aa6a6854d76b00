using Lab.Experiments.Models;
using Lab.Experiments.Schema;
using Lab.Experiments.Yaml;
using Lab.Reports;
using Lab.Reports.Charts;

namespace Lab.Experiments.Validation;

/// <summary>
/// <c>outputs.charts</c> against what the experiment can produce: each name must be a chart kind
/// (<see cref="ChartCatalog"/>) whose metrics some point's models list (<see cref="MetricCatalog"/>) and whose
/// axis is swept. A chart no point can feed is an error at its entry, with the names that are close or that
/// exist, rather than a chart with a missing line or no chart at all.
/// </summary>
public static class OutputCharts
{
    /// <summary>How many existing names an error lists when none is close to the one asked for.</summary>
    public const int NamesListed = 12;

    /// <param name="config">The configuration whose <c>outputs.charts</c> the report draws (the experiment's base).</param>
    public static void Check(RunConfig config, IReadOnlyList<PlannedPoint> points, IReadOnlyList<string> sweepAxes, Diagnostics problems)
    {
        if (config.Entry("outputs.charts") is not { } entry || points.Count == 0) return;
        var models = points.SelectMany(MetricCatalog.ModelsOf).Distinct().ToList();
        var vocabulary = ChartVocabulary.Declared(
            models.SelectMany(MetricCatalog.Of).Select(m => m.Name),
            [.. models.SelectMany(MetricCatalog.WordsOf).Distinct()],
            sweepAxes);
        var items = entry.Node is YSequence s ? s.Items : [];
        var names = config.Strings("outputs.charts");
        for (int i = 0; i < names.Count; i++)
        {
            var plan = ChartCatalog.Plan(names[i].Trim().ToLowerInvariant(), vocabulary);
            if (plan.Problem is null) continue;
            var mark = i < items.Count ? items[i].Mark : entry.Node.Mark;
            problems.Error(mark, "outputs.charts", $"{names[i]}: {plan.Problem}{Hint(plan.Lookup)}");
        }
    }

    /// <summary>"; did you mean 'x'?" when a name is close, else the names that exist (the first few).</summary>
    private static string Hint(MetricLookup? lookup)
    {
        if (lookup?.Wanted is not { } wanted) return "";
        if (Suggest.Closest(wanted, lookup.Existing) is { } close) return $"; did you mean '{close}'?";
        if (lookup.Existing.Count == 0) return "";
        var listed = string.Join(", ", lookup.Existing.Take(NamesListed));
        return lookup.Existing.Count > NamesListed ? $" (known: {listed}, … — lab list metrics shows all)" : $" (known: {listed})";
    }
}
