using Lab.Experiments.Schema;
using Lab.Finance.Confirmations;
using Lab.Finance.Privacy;

namespace Lab.Experiments.Models;

/// <summary>
/// What the securities, cross-border, supply-chain and warehouse models share for issue 14 §6 (who can read what): the
/// <c>scenario.privacy.&lt;items&gt;</c> key (one path per model: the schema is shared), the matrix's metrics and the report's table. Each scenario's rules live next to its
/// contract (SecuritiesPrivacy, CrossBorderPrivacy, SupplyChainPrivacy in Lab.Finance).
/// </summary>
internal static class PrivacyTables
{
    public const string Collections = "collections";
    public const string Off = "off";

    /// <summary>Opt-out key (default on): the privacy layer adds state, not modelled bytes or time, so the chain's numbers do not change.</summary>
    public static SchemaKey Key(string path, string what) =>
        Models.Key.Choice(path,
            $"On chain: `collections` seals {what} for its private collection (members read it, every other replica holds ciphertext and hash) and derives the who-can-read matrix from a replica's state after the run; `off` stores no private items and derives no matrix. Transaction sizes and timing are the same either way.",
            [Collections, Off], Collections);

    public static bool On(RunConfig c, string path) => c.Text(path) == Collections;

    public static IEnumerable<MetricInfo> Metrics() =>
    [
        new($"{ConfirmationPrivacy.MetricPrefix}.<party>.<item>", "on chain with scenario.privacy.*: collections: who-can-read matrix from a replica's state: 2 read, 1 hash only, 0 nothing, −1 mixed"),
        new(ConfirmationMetrics.PrivacyBreaches, "on chain with scenario.privacy.*: collections: cells of the who-can-read matrix that differ from the scenario's rules (must be 0)"),
    ];

    /// <summary>The who-can-read table of the first point that has a matrix (its first run), or nothing.</summary>
    public static IReadOnlyList<Lab.Reports.ReportTable> Table(IReadOnlyList<Lab.Reports.PointResult> points,
        IReadOnlyList<string> parties, IReadOnlyList<string> items, string where, string note)
    {
        string Name(string p, string i) => ReadMatrix.MetricName(ConfirmationPrivacy.MetricPrefix, p, i);
        var o = points.FirstOrDefault(p => double.IsFinite(Headlines.First(p, Name(parties[0], items[0]))));
        if (o is null) return [];
        IReadOnlyList<string> Row(string party) =>
            [party, .. items.Select(i => Headlines.First(o, Name(party, i)) is var v && double.IsFinite(v) ? ReadMatrix.Word(v) : "not measured")];
        return
        [
            new Lab.Reports.ReportTable(
                $"Who can read what {where} ({o.Variant}, derived from a replica's stored state after the run)",
                ["party", .. items], [.. parties.Select(Row)],
                note + " read: opened with the party's own key, or a plain value in the state; hash only: the state holds ciphertext and digest the party cannot open; nothing: no such item for the party. " +
                $"Cells that break the scenario's rules: {Headlines.First(o, ConfirmationMetrics.PrivacyBreaches).ToString(System.Globalization.CultureInfo.InvariantCulture)}."),
        ];
    }
}
