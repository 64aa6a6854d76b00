using Lab.Sim.Metrics;

namespace Lab.Experiments.Models;

/// <summary>One step of a followed item as a run's <c>journey_*</c> samples carry it: when, who (an index in the scenario's
/// institutions), what (the scenario's stage code) and a detail (an amount or a reason's code; 0 where a scenario records none).</summary>
internal readonly record struct SampledStep(long AtNs, int Who, int Stage, long Detail);

/// <summary>Reads the aligned <c>journey_*</c> samples (item, stage, who, at, detail) back into each followed item's trail.</summary>
internal static class JourneySamples
{
    public const string Stage = "journey_stage", Who = "journey_who", At = "journey_at_s", Detail = "journey_detail";

    /// <summary>Each followed item's steps in recorded order; null when the run wrote no journey (e.g. another model).</summary>
    public static SortedDictionary<int, List<SampledStep>>? Trails(RunMetrics m, string item)
    {
        if (!m.Samples.TryGetValue(item, out var items)) return null;
        var (stage, who, at) = (m.Samples[Stage], m.Samples[Who], m.Samples[At]);
        var detail = m.Samples.GetValueOrDefault(Detail);
        var trails = new SortedDictionary<int, List<SampledStep>>();
        for (int k = 0; k < items.Length; k++)
        {
            var i = (int)items[k];
            if (!trails.TryGetValue(i, out var trail)) trails[i] = trail = [];
            trail.Add(new SampledStep((long)Math.Round(at[k] * 1e9), (int)who[k], (int)stage[k], detail is null ? 0 : (long)detail[k]));
        }
        return trails;
    }
}
