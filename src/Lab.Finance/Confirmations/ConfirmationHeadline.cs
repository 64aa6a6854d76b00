using System.Globalization;
using Lab.Finance.Securities;

namespace Lab.Finance.Confirmations;

/// <summary>What the opening sentences compare: paper letters against the confirmation platform, over all replications.</summary>
public sealed record ConfirmationFigures
{
    public required string Paper { get; init; }
    public required string OnChain { get; init; }
    public required int Replications { get; init; }
    public required Estimate PaperMedianS { get; init; }
    public required Estimate PaperP90S { get; init; }
    public required Estimate OnChainMedianS { get; init; }
    public required Estimate OnChainOfficeMeanS { get; init; }
    public required Estimate OnChainOfficeMinS { get; init; }
    /// <summary>Totals over the replications.</summary>
    public required double Tampered { get; init; }
    public required double PaperForgedAccepted { get; init; }
    public required double OnChainTampered { get; init; }
    public required double OnChainTamperDetected { get; init; }
    /// <summary>Totals over the replications of the after-the-run evidence check (<see cref="ConfirmationEvidence"/>):
    /// filed replies checked against the anchored root alone, those found authentic, altered copies checked and caught.</summary>
    public double RepliesProved { get; init; }
    public double RepliesChecked { get; init; }
    public double AlteredChecked { get; init; }
    public double AlteredCaught { get; init; }
    /// <summary>The who-can-read matrix of the first on-chain run, party by party, cells in <see cref="ConfirmationPrivacy.Items"/> order.</summary>
    public required IReadOnlyList<(string Party, IReadOnlyList<string> Cells)> Privacy { get; init; }
    public required double PrivacyBreaches { get; init; }
}

/// <summary>The bank-confirmation report's two opening sentences, composed from measured figures only.</summary>
public static class ConfirmationHeadline
{
    public static string Compose(ConfirmationFigures f)
    {
        var reps = f.Replications > 1 ? $" (mean of {f.Replications} runs, 95% interval)" : "";
        static string N(double v) => v.ToString("0", CultureInfo.InvariantCulture);
        var forged = f.Tampered == 0
            ? "no reply was forged"
            : $"{N(f.PaperForgedAccepted)} of {N(f.Tampered)} forged replies were accepted as the bank's on paper, while the contract refused {N(f.OnChainTamperDetected)} of {N(f.OnChainTampered)} by their digest";
        var evidence = f.RepliesChecked == 0 ? "" :
            $"; afterwards the audit firms proved {N(f.RepliesProved)} of {N(f.RepliesChecked)} filed replies against the anchored Merkle root alone" +
            (f.AlteredChecked == 0 ? "" : $" and caught {N(f.AlteredCaught)} of {N(f.AlteredChecked)} altered copies");
        var first =
            $"A bank confirmation took a median {SettlementHeadline.Human(f.PaperMedianS)} by {f.Paper} (90th percentile {SettlementHeadline.Human(f.PaperP90S)}) " +
            $"and {SettlementHeadline.Human(f.OnChainMedianS)} on {f.OnChain}, where the mean in office hours was {SettlementHeadline.Human(f.OnChainOfficeMeanS)} and the shortest {SettlementHeadline.Human(f.OnChainOfficeMinS)} " +
            $"(CBA platform: 3 h 38 min and 1 h 15 min){reps}; {forged}{evidence}.";
        string Cell(string party, string item)
        {
            var row = f.Privacy.FirstOrDefault(r => r.Party == party);
            var i = ConfirmationPrivacy.Items.ToList().IndexOf(item);
            return row.Cells is { } c && i >= 0 && i < c.Count ? c[i] : "not measured";
        }
        var breaches = f.PrivacyBreaches == 0 ? "every cell as the platform's rules say" : $"{N(f.PrivacyBreaches)} cells breaking the platform's rules";
        var second =
            $"Read from a replica's state, the reply's content was readable by the auditor ({Cell("auditor", "reply")}) and the bank ({Cell("bank", "reply")}) " +
            $"but not by the platform operator ({Cell("operator", "reply")}), another bank ({Cell("other-bank", "reply")}), the client ({Cell("client", "reply")}) " +
            $"or another audit firm ({Cell("other-auditor", "reply")}); the regulator: {Cell("regulator", "reply")} ({breaches}).";
        return $"{first} {second}";
    }
}
