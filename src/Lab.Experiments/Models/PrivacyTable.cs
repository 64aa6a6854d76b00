using Lab.Finance.Privacy;

namespace Lab.Experiments.Models;

/// <summary>
/// The report's who-can-read table (issue 14 §6) for a scenario whose runs write the matrix as metrics
/// (<see cref="ReadMatrix.Metrics"/>): read from the first run of the first point where the on-chain metric
/// is 1, so the table shows what that run's replica gave each party, not the rules.
/// </summary>
public static class PrivacyTable
{
    public static IReadOnlyList<Lab.Reports.ReportTable> Of(IReadOnlyList<Lab.Reports.PointResult> points, string onChainMetric, string what,
        IReadOnlyList<string> parties, IReadOnlyList<string> items, string prefix, string notes)
    {
        var o = points.FirstOrDefault(p => Headlines.First(p, onChainMetric) == 1);
        if (o is null) return [];
        return
        [
            new Lab.Reports.ReportTable(
                $"Who can read what {what} ({o.Variant}, derived from a replica's stored state after the run)",
                ["party", .. items],
                [.. parties.Select(p => (IReadOnlyList<string>)[p, .. items.Select(i =>
                    Headlines.First(o, ReadMatrix.MetricName(prefix, p, i)) is var v && double.IsFinite(v) ? ReadMatrix.Word(v) : "not measured")])],
                notes + " read: opened with the party's own key (or plain state it reaches); hash only: its state holds ciphertext and digest; nothing: not served to the party."),
        ];
    }
}
