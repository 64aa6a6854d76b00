namespace Lab.Finance.Warehousing;

/// <summary>What happened to a lot, for the report's "follow one lot".</summary>
public enum LotStage
{
    /// <summary>The lot arrived at its warehouse (on chain: with its intake reading).</summary>
    Arrived,
    /// <summary>A receipt was issued (on paper, or on the ledger once final); detail: 1 for a phantom receipt.</summary>
    ReceiptIssued,
    /// <summary>The contract refused to issue a receipt (beyond the attested stock).</summary>
    IssueRefused,
    /// <summary>The owner applied to a bank for a loan against a receipt; detail: the loan, CNY.</summary>
    Applied,
    /// <summary>The bank's due diligence ended (on chain: it submitted the pledge to the contract).</summary>
    DiligenceDone,
    /// <summary>The bank lent; detail: the loan, CNY.</summary>
    Funded,
    /// <summary>The bank (or on chain the contract) refused the pledge; detail: the reason's code (<see cref="LotTrail.Reasons"/>).</summary>
    Refused,
    /// <summary>The owner started taking the goods out of the bay.</summary>
    RemovalStarted,
    /// <summary>A sensor batch flagged the lot on chain (weight or location off its attested value).</summary>
    SensorFlag,
    /// <summary>A bank found the fraud; detail: how (<see cref="Detection"/>).</summary>
    Detected,
    /// <summary>The owner repaid and the receipt was released.</summary>
    Released,
    /// <summary>The loan was called and the goods taken for disposal; detail: what they recovered, CNY.</summary>
    Disposed,
}

/// <summary>One step of a lot's trail: when, who (warehouses first, then banks: index in <see cref="LotTrail.Institutions"/>), what.</summary>
public readonly record struct LotStep(long AtNs, int Who, LotStage Stage, long Detail);

/// <summary>
/// The trails of a sample of lots, put together at the end of the run from what the warehouses and banks recorded
/// (no work while the run goes). The lots are chosen from the book alone, so both registries follow the same ones.
/// </summary>
public static class LotTrail
{
    /// <summary>Lots followed per run: up to half from fraudulent owners, the rest honest, each group evenly spaced.</summary>
    public const int Followed = 40;

    /// <summary>Why a pledge was refused: the bank's words with separate registries, the receipt contract's rules on chain
    /// (code ↔ the reason's fixed text; the receipt, lot and bank in it are the followed lot's). Code 0: none of these.</summary>
    public static readonly IReadOnlyList<(string Starts, string Text)> Reasons =
    [
        ("", "refused"),
        (BankNode.InRegistry, BankNode.InRegistry),
        ("no receipt ", "no receipt of that number on the ledger"),
        ("second pledge refused: lot ", "second pledge refused: the lot is already pledged to another bank"),
        ("second pledge refused: ", "second pledge refused: the receipt is already pledged"),
        ("lot ", "the lot was flagged by its sensors"),
        ("owner", "the applicant does not hold the receipt"),
    ];

    public static long ReasonCode(string? reason)
    {
        if (reason is null) return 0;
        for (int i = 1; i < Reasons.Count; i++)
            if (reason.StartsWith(Reasons[i].Starts, StringComparison.Ordinal)) return i;
        return 0;
    }

    /// <summary>Institution names in index order: warehouses, then banks.</summary>
    public static IReadOnlyList<string> Institutions(WarehouseOptions o) =>
        [.. Enumerable.Range(0, o.Warehouses).Select(WarehouseBook.Warehouse), .. Enumerable.Range(0, o.Banks).Select(WarehouseBook.Bank)];

    public static IEnumerable<int> FollowedLots(WarehouseBook book)
    {
        static IEnumerable<Lot> Spaced(List<Lot> xs, int n) => xs.Count <= n ? xs : Enumerable.Range(0, n).Select(i => xs[(int)((long)i * xs.Count / n)]);
        var fraud = Spaced([.. book.Lots.Where(l => l.Fraud != FraudKind.None)], Followed / 2).ToList();
        return fraud.Concat(Spaced([.. book.Lots.Where(l => l.Fraud == FraudKind.None)], Followed - fraud.Count)).Select(l => l.Index).Order();
    }

    /// <summary>Every step of one lot, in time order (ties in the order the steps happen).</summary>
    public static List<LotStep> Of(int lotIndex, WarehouseBook book, WarehouseOptions o, Func<Application, PledgeRecord> record, IReadOnlyList<WarehouseNode.State> warehouses)
    {
        var lot = book.Lots[lotIndex];
        var onChain = o.Registry == PledgeRegistry.OnChain;
        var wh = lot.Warehouse;
        int Bank(Application a) => o.Warehouses + a.Bank;
        var steps = new List<LotStep> { new(lot.ArrivalNs, wh, LotStage.Arrived, 0) };
        foreach (var r in book.Receipts.Where(r => r.Lot == lotIndex))
        {
            if (!onChain) { steps.Add(new(r.IssueNs, wh, LotStage.ReceiptIssued, r.Phantom ? 1 : 0)); continue; }
            var at = warehouses.Select(w => w.IssuedNs[r.Index]).Max();
            if (at < 0) continue;
            var issued = warehouses.Any(w => w.Issued[r.Index]);
            steps.Add(new(at, wh, issued ? LotStage.ReceiptIssued : LotStage.IssueRefused, r.Phantom ? 1 : 0));
        }
        foreach (var a in book.Applications.Where(a => a.Lot == lotIndex))
        {
            var p = record(a);
            steps.Add(new(a.AppliedNs, Bank(a), LotStage.Applied, a.LoanCny));
            if (p.DiligenceDoneNs >= 0) steps.Add(new(p.DiligenceDoneNs, Bank(a), LotStage.DiligenceDone, 0));
            if (p.Funded) steps.Add(new(p.DecidedNs, Bank(a), LotStage.Funded, a.LoanCny));
            else if (p.RefusedReason is not null) steps.Add(new(p.DecidedNs, Bank(a), LotStage.Refused, ReasonCode(p.RefusedReason)));
            if (p.DetectedNs >= 0 && p.DetectedBy != Detection.Refused) steps.Add(new(p.DetectedNs, Bank(a), LotStage.Detected, (long)p.DetectedBy));
            if (p.ClosedNs >= 0) steps.Add(new(p.ClosedNs, Bank(a), p.Defaulted || p.DetectedNs >= 0 ? LotStage.Disposed : LotStage.Released, p.RecoveredCny));
        }
        if (lot.RemovalStartNs >= 0) steps.Add(new(lot.RemovalStartNs, wh, LotStage.RemovalStarted, 0));
        var flagged = onChain ? warehouses.Select(w => w.FlaggedNs[lotIndex]).Max() : -1;
        if (flagged >= 0) steps.Add(new(flagged, wh, LotStage.SensorFlag, 0));
        return [.. steps.OrderBy(s => s.AtNs).ThenBy(s => s.Stage)];
    }
}
