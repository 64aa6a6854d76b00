using System.Globalization;
using Lab.Finance.Privacy;

namespace Lab.Finance.SupplyChain;

/// <summary>
/// Who can read what on the voucher chain (issue 14 §6).
/// <para>
/// The rules, and why. Each voucher piece a supplier receives stands for a trade with its buyer: the goods, the
/// price, the invoice. Those are the two firms' business secrets — a supplier's other customers and competitors, and
/// the banks that do not finance it, must not learn what it sells to whom and at what price (the reason suppliers
/// fear supply-chain platforms, SCENARIOS.md). The platforms in China (e.g. 中企云链, 简单汇, Ant's 双链通) show each
/// party the vouchers it holds or passed, and the core (the obligor) the whole tree of its payables, because it pays
/// every holder; the regulator reads everything. The registry of pieces (who holds which piece, its status) is what
/// makes a second discount impossible, so every replica holder (core, banks, operator) reads it.
/// </para>
/// <para>
/// How the chain keeps them. With each piece it passes (the core's issue, a supplier's split) the passer seals the
/// piece's trade record for the collection {passer, receiver, core, regulator}; the contract stores it under
/// <see cref="InvoiceKey"/> next to the plain piece record. A bank that finances a piece gets the invoice from the
/// holder off chain (not modelled), so on chain every bank holds its hash only. Piece amounts are plain balances of
/// the voucher asset (the model's stated gap, as for securities). Every party is checked as if it held a full
/// replica. Transaction sizes are unchanged: the sealed record travels beside the call, like Fabric's transient data.
/// </para>
/// </summary>
public sealed class SupplyChainPrivacy(Keyring keys)
{
    public const string Regulator = "regulator";
    public static readonly IReadOnlyList<string> Parties = ["receiver", "passer", "core", "other-supplier", "bank", Regulator];
    public static readonly IReadOnlyList<string> Items = ["registry", "invoice"];

    public Keyring Keys => keys;

    public static string InvoiceKey(long piece) => VoucherContract.PieceKey(piece) + "/invoice";

    /// <summary>Who passed the piece of <paramref name="claim"/>: the core at tier 1, else the parent claim's holder.</summary>
    public static string Passer(SupplyChainPlan plan, Claim claim) =>
        claim.Parent < 0 ? SupplyChainPlan.Core : plan.Suppliers[plan.Claims[claim.Parent].Holder];

    public SealedPayload Seal(SupplyChainPlan plan, Claim claim)
    {
        var passer = Passer(plan, claim);
        var receiver = plan.Suppliers[claim.Holder];
        return SealedPayload.Seal($"piece {claim.ReceivedPiece}: {passer} pays {receiver} {claim.Received} for goods (voucher {claim.Payable})",
            [passer, receiver, SupplyChainPlan.Core, Regulator], keys, "invoice|" + claim.ReceivedPiece.ToString(CultureInfo.InvariantCulture));
    }

    public static ReadLevel Expected(string party, string item) => (party, item) switch
    {
        ("receiver" or "passer" or "core" or Regulator, _) => ReadLevel.Read,
        (_, "invoice") => ReadLevel.HashOnly,   // another supplier, a bank
        _ => ReadLevel.Read,                    // the registry is plain world state
    };

    /// <summary>Fills the matrix from one replica's state: for every piece passed on it, every row tries every item with its own key.</summary>
    public ReadMatrix Derive(Func<string, object?> replica, SupplyChainPlan plan)
    {
        var m = new ReadMatrix(Parties, Items);
        foreach (var c in plan.Claims)
        {
            if (replica(VoucherContract.PieceKey(c.ReceivedPiece)) is null) continue;   // never passed on chain
            var passer = Passer(plan, c);
            var receiver = plan.Suppliers[c.Holder];
            var other = plan.Suppliers.FirstOrDefault(s => s != passer && s != receiver);
            var who = new (string Row, string? Party)[]
                { ("receiver", receiver), ("passer", passer), ("core", SupplyChainPlan.Core), ("other-supplier", other), ("bank", SupplyChainPlan.Bank(0)), (Regulator, Regulator) };
            foreach (var (item, key) in new[] { ("registry", VoucherContract.PieceKey(c.ReceivedPiece)), ("invoice", InvoiceKey(c.ReceivedPiece)) })
            {
                var stored = replica(key);
                foreach (var (row, party) in who)
                    if (party is not null) m.Record(row, item, Reading.Attempt(stored, keys.Of(party)));
            }
        }
        return m;
    }
}
