using System.Globalization;
using Lab.Finance.Evidence;
using Lab.Finance.Privacy;
using Lab.Ledger.Contracts;
using Lab.Sim.Time;

namespace Lab.Finance.Warehousing;

/// <summary>One sensor reading of a lot: weight in kg, whether its location tags are inside the warehouse's geofence, temperature in tenths of °C.</summary>
public sealed record SensorReading(int Lot, long Kg, bool Inside, int DeciCelsius);

/// <summary>A warehouse gateway's signed batch of readings (one interval, one warehouse or one lot).</summary>
public sealed record SensorBatch(IReadOnlyList<SensorReading> Readings)
{
    public override string ToString() => $"SensorBatch {{ {Readings.Count} readings }}";
}

/// <summary>A receipt to issue; <paramref name="Document"/>: the evidence (hash and metadata) of its signed off-chain document.</summary>
public sealed record IssueReceipt(string Receipt, int Lot, string Owner, long Kg, EvidenceItem? Document = null);
/// <summary>A pledge to register; <paramref name="Terms"/>: the loan's terms sealed for the owner, the bank and the regulator (<see cref="WarehousePrivacy"/>).</summary>
public sealed record PledgeReceipt(string Receipt, string Owner, SealedPayload? Terms = null);
public sealed record ReceiptAction(string Receipt);

public enum ReceiptStatus { Held, Pledged, Disposed }

/// <summary>A receipt as the ledger holds it (public to the consortium); <paramref name="TermsBy"/>: the bank whose sealed
/// loan terms are stored at <see cref="ReceiptContract.TermsKey"/> (the latest pledge's), never the terms themselves.</summary>
public sealed record ReceiptState(int Lot, string Warehouse, string Owner, long Kg, ReceiptStatus Status, string? Pledgee, string? TermsBy = null);

/// <summary>A lot as the ledger knows it from its sensors: its warehouse, the weight attested at intake, and when (height) it was flagged.</summary>
public sealed record LotState(string Warehouse, long AttestedKg, long ReceiptedKg, string Receipts, string? Pledgee, long FlaggedAt);

/// <summary>
/// Warehouse receipts and their pledges on the consortium chain. A warehouse's sensor gateway posts signed
/// readings; the first reading of a lot attests its weight (intake). The warehouse may issue receipts for a lot
/// only up to that attested weight — the receipt tokens <c>wr-<c>wr/&lt;warehouse&gt;</c>lt;warehouse<c>wr/&lt;warehouse&gt;</c>gt;</c> (kg) are issued by it alone, so
/// the runtime's conservation check holds every other party to them. A bank registers a pledge of a receipt
/// it is shown by the holder; the contract refuses a pledge of a receipt that does not exist, is not the
/// owner's, is already pledged, or whose lot (any receipt of it) is already pledged or flagged — the second
/// pledge of the same lot is refused whoever tries it. A later reading that finds the lot lighter than its
/// receipts (beyond the tolerance) or outside the geofence flags the lot; the accepted call's result names
/// the flagged lots and their pledgees (what banks watching the chain see). The pledgee releases the receipt
/// on repayment or takes it on default (disposal).
/// </summary>
public sealed class ReceiptContract(double weightTolerance, Duration cpuPerReading) : IContract
{
    public const string ContractName = "receipts";
    public const string WarehouseRole = "warehouse";
    public const string BankRole = "bank";
    public string Name => ContractName;

    public static string Asset(string warehouse) => "wr-" + warehouse;
    public static string PledgeAccount(string bank) => "pledged-" + bank;
    public static string LotKey(int lot) => "lot/" + lot.ToString(CultureInfo.InvariantCulture);
    public static string ReceiptKey(string receipt) => "receipt/" + receipt;
    public static string TermsKey(string receipt) => "receipt/" + receipt + "/terms";

    public static ContractCall Readings(SensorBatch b) => new(ContractName, "readings", b);
    public static ContractCall Issue(IssueReceipt r) => new(ContractName, "issue", r);
    public static ContractCall Pledge(PledgeReceipt p) => new(ContractName, "pledge", p);
    public static ContractCall Release(string receipt) => new(ContractName, "release", new ReceiptAction(receipt));
    public static ContractCall Dispose(string receipt) => new(ContractName, "dispose", new ReceiptAction(receipt));

    public void Execute(ContractContext ctx, string method, object? arguments)
    {
        switch (method, arguments)
        {
            case ("readings", SensorBatch b):
                ctx.RequireRole(WarehouseRole);
                ctx.Charge(cpuPerReading * b.Readings.Count);
                EvidenceContract.CloseIfDue(ctx); // the hourly readings anchor the receipt documents stored since
                ApplyReadings(ctx, b);
                break;
            case ("issue", IssueReceipt r):
                ctx.RequireRole(WarehouseRole);
                DoIssue(ctx, r);
                break;
            case ("pledge", PledgeReceipt p):
                ctx.RequireRole(BankRole);
                DoPledge(ctx, p);
                break;
            case ("release", ReceiptAction a):
                ctx.RequireRole(BankRole);
                Close(ctx, a.Receipt, dispose: false);
                break;
            case ("dispose", ReceiptAction a):
                ctx.RequireRole(BankRole);
                Close(ctx, a.Receipt, dispose: true);
                break;
            default:
                ctx.Reject($"receipts has no method '{method}' taking {arguments?.GetType().Name ?? "nothing"}");
                break;
        }
    }

    private void ApplyReadings(ContractContext ctx, SensorBatch b)
    {
        List<string>? flagged = null;
        foreach (var r in b.Readings)
        {
            var key = LotKey(r.Lot);
            var lot = ctx.Get<LotState>(key);
            if (lot is null)
            {
                // Intake: the first reading attests the weight in store; the lot belongs to the posting warehouse.
                ctx.Put(key, new LotState(ctx.Caller, r.Kg, 0, "", null, 0));
                continue;
            }
            if (lot.Warehouse != ctx.Caller) ctx.Unauthorised($"{ctx.Caller} posts readings for lot {r.Lot} of {lot.Warehouse}");
            if (lot.FlaggedAt > 0 || lot.ReceiptedKg == 0) continue;
            var light = r.Kg < lot.ReceiptedKg * (1 - weightTolerance);
            if (!light && r.Inside) continue;
            ctx.Put(key, lot with { FlaggedAt = ctx.Height });
            (flagged ??= []).Add($"{r.Lot}>{lot.Pledgee ?? "-"}");
        }
        if (flagged is not null) ctx.Emit(ContractRuntime.ResultEvent, "flagged " + string.Join(";", flagged));
    }

    private static void DoIssue(ContractContext ctx, IssueReceipt r)
    {
        var key = LotKey(r.Lot);
        var lot = ctx.Get<LotState>(key);
        if (lot is null) { ctx.Decline($"lot {r.Lot}: no sensor has attested it"); return; }
        if (lot.Warehouse != ctx.Caller) ctx.Unauthorised($"{ctx.Caller} issues against lot {r.Lot} of {lot.Warehouse}");
        if (ctx.Get(ReceiptKey(r.Receipt)) is not null) { ctx.Decline($"receipt {r.Receipt} exists"); return; }
        if (r.Kg <= 0) { ctx.Decline("a receipt needs a positive weight"); return; }
        if (lot.ReceiptedKg + r.Kg > lot.AttestedKg)
        {
            ctx.Decline($"tonnage exceeds attested stock: lot {r.Lot} holds {lot.AttestedKg} kg, {lot.ReceiptedKg} kg already receipted");
            return;
        }
        if (r.Document is { } d)
        {
            if (d.Id != r.Receipt) { ctx.Decline($"receipt {r.Receipt}: its document's evidence is filed as {d.Id}"); return; }
            if (!EvidenceContract.Record(ctx, d)) return;
        }
        ctx.Issue(Asset(ctx.Caller), r.Owner, r.Kg);
        ctx.Put(ReceiptKey(r.Receipt), new ReceiptState(r.Lot, ctx.Caller, r.Owner, r.Kg, ReceiptStatus.Held, null));
        ctx.Put(key, lot with { ReceiptedKg = lot.ReceiptedKg + r.Kg, Receipts = lot.Receipts.Length == 0 ? r.Receipt : lot.Receipts + "," + r.Receipt });
    }

    private static void DoPledge(ContractContext ctx, PledgeReceipt p)
    {
        var receipt = ctx.Get<ReceiptState>(ReceiptKey(p.Receipt));
        if (receipt is null) { ctx.Decline($"no receipt {p.Receipt} on the ledger"); return; }
        if (receipt.Owner != p.Owner) { ctx.Decline($"{p.Owner} does not hold {p.Receipt}"); return; }
        var lot = ctx.Get<LotState>(LotKey(receipt.Lot))!;
        if (receipt.Status != ReceiptStatus.Held) { ctx.Decline($"second pledge refused: {p.Receipt} is {receipt.Status.ToString().ToLowerInvariant()} (to {receipt.Pledgee})"); return; }
        if (lot.Pledgee is not null) { ctx.Decline($"second pledge refused: lot {receipt.Lot} is pledged to {lot.Pledgee}"); return; }
        if (lot.FlaggedAt > 0) { ctx.Decline($"lot {receipt.Lot} flagged by its sensors at height {lot.FlaggedAt}"); return; }
        ctx.Transfer(Asset(receipt.Warehouse), receipt.Owner, PledgeAccount(ctx.Caller), receipt.Kg);
        ctx.Put(ReceiptKey(p.Receipt), receipt with { Status = ReceiptStatus.Pledged, Pledgee = ctx.Caller, TermsBy = p.Terms is null ? receipt.TermsBy : ctx.Caller });
        if (p.Terms is not null) ctx.Put(TermsKey(p.Receipt), p.Terms);
        ctx.Put(LotKey(receipt.Lot), lot with { Pledgee = ctx.Caller });
    }

    private static void Close(ContractContext ctx, string id, bool dispose)
    {
        var receipt = ctx.Get<ReceiptState>(ReceiptKey(id));
        if (receipt is null || receipt.Status != ReceiptStatus.Pledged || receipt.Pledgee != ctx.Caller)
        {
            ctx.Decline($"{ctx.Caller} holds no pledge of {id}");
            return;
        }
        var lot = ctx.Get<LotState>(LotKey(receipt.Lot))!;
        ctx.Transfer(Asset(receipt.Warehouse), PledgeAccount(ctx.Caller), dispose ? ctx.Caller : receipt.Owner, receipt.Kg);
        ctx.Put(ReceiptKey(id), dispose
            ? receipt with { Status = ReceiptStatus.Disposed, Owner = ctx.Caller }
            : receipt with { Status = ReceiptStatus.Held, Pledgee = null });
        ctx.Put(LotKey(receipt.Lot), lot with { Pledgee = null });
    }

    /// <summary>
    /// The ledger's invariants for one lot, read from state alone (not from how the contract got there): its receipts
    /// were issued by the lot's warehouse, their weight does not exceed the weight attested at intake, and at most one
    /// of them is pledged. Returns what is wrong, or null.
    /// </summary>
    public static string? Audit(Func<string, object?> get, int lotIndex)
    {
        if (get(LotKey(lotIndex)) is not LotState lot) return null;
        long kg = 0;
        var pledged = 0;
        foreach (var id in lot.Receipts.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (get(ReceiptKey(id)) is not ReceiptState r) return $"lot {lotIndex}: receipt {id} listed but missing";
            if (r.Warehouse != lot.Warehouse) return $"lot {lotIndex}: receipt {id} issued by {r.Warehouse}, lot is in {lot.Warehouse}";
            if (r.Lot != lotIndex) return $"lot {lotIndex}: receipt {id} names lot {r.Lot}";
            kg += r.Kg;
            if (r.Status == ReceiptStatus.Pledged) pledged++;
        }
        if (kg > lot.AttestedKg) return $"lot {lotIndex}: receipts for {kg} kg against {lot.AttestedKg} kg attested";
        if (kg != lot.ReceiptedKg) return $"lot {lotIndex}: receipted {lot.ReceiptedKg} kg but receipts sum to {kg}";
        if (pledged > 1) return $"lot {lotIndex}: {pledged} receipts pledged at once";
        return null;
    }
}
