using System.Globalization;
using Lab.Finance.Evidence;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;

namespace Lab.Finance.Insurance;

/// <summary>A customer's consent, registered by the customer app when the service is opened: a fingerprint of the
/// signed consent form (which stays with the customer and the insurer), never the form or any health data.</summary>
public sealed record ConsentGrant(string Customer, string Insurer, Hash Fingerprint);

/// <summary>A claim as the data exchange files it: the visit's facts the rules need, and its record's evidence (hash and metadata).</summary>
public sealed record ClaimFiling(string Claim, string Customer, string Insurer, string Hospital, VisitCategory Category, long AmountFen, EvidenceItem Record)
{
    /// <summary>The visit record sealed for its collection (<see cref="InsurancePrivacy"/>); internal, so not in the text form the transaction's fingerprint hashes.</summary>
    internal Lab.Finance.Privacy.SealedPayload? SealedRecord { get; init; }
}

/// <summary>The insurer's decision after a manual review.</summary>
public sealed record ClaimDecision(string Claim, long ApprovedFen);

/// <summary>The paying bank's confirmation that a claim's payment left.</summary>
public sealed record ClaimPaid(string Claim);

public enum ClaimStatus { Review, Approved, Paid }

/// <summary>A claim on the ledger: its facts, where it stands, and whether the rules approved it without a human.</summary>
public sealed record ClaimState(string Claim, string Customer, string Insurer, VisitCategory Category, long AmountFen, ClaimStatus Status, long ApprovedFen, bool Automatic, string Why);

/// <summary>A payment instruction the approval writes: the paying bank pays it and confirms (<c>paid</c>).</summary>
public sealed record PaymentInstruction(string Claim, string Insurer, string Customer, long AmountFen);

/// <summary>
/// Health-insurance claims on the consortium chain (issue 14 §2). The customer app registers consent fingerprints.
/// The data exchange files a claim for a recognised insured customer's visit: without a consent on record for that
/// insurer the call is refused with the reason (and nothing about the visit is stored); otherwise the visit record's
/// hash is stored as evidence (<see cref="EvidenceContract"/>, anchored by the exchange) and the rules adjudicate —
/// an outpatient claim within the automatic limit, with the customer's automatic total within the annual limit, is
/// approved and its payment instruction written at once; anything else goes to the insurer's manual review, whose
/// decision (<c>decide</c>) writes the instruction. The paying bank confirms each payment (<c>paid</c>), once.
/// The rules are the lab's: two limits and a category list, not a real policy's wording.
/// </summary>
public sealed class ClaimsContract(long autoLimitFen, long annualAutoLimitFen) : IContract
{
    public const string ContractName = "claims";
    public const string AppRole = "customer-app", ExchangeRole = "exchange", InsurerRole = "insurer", BankRole = "bank";
    public string Name => ContractName;

    public static string ConsentKey(string customer) => "consent/" + customer;
    public static string ClaimKey(string claim) => "claim/" + claim;
    public static string PaymentKey(string claim) => "payment/" + claim;
    public static string AutoTotalKey(string customer) => "auto-total/" + customer;

    public static ContractCall Consent(ConsentGrant g) => new(ContractName, "consent", g);
    public static ContractCall File(ClaimFiling f) => new(ContractName, "claim", f);
    public static ContractCall Decide(ClaimDecision d) => new(ContractName, "decide", d);
    public static ContractCall Paid(string claim) => new(ContractName, "paid", new ClaimPaid(claim));

    /// <summary>The outcome reason of a claim the rules approved without a human.</summary>
    public const string Approved = "approved";
    /// <summary>The outcome reason of a claim sent to manual review starts with this.</summary>
    public const string ToReview = "review: ";

    public void Execute(ContractContext ctx, string method, object? arguments)
    {
        switch (method, arguments)
        {
            case ("consent", ConsentGrant g):
                ctx.RequireRole(AppRole);
                ctx.Put(ConsentKey(g.Customer), g);
                break;
            case ("claim", ClaimFiling f):
                ctx.RequireRole(ExchangeRole);
                DoClaim(ctx, f);
                break;
            case ("decide", ClaimDecision d):
                ctx.RequireRole(InsurerRole);
                DoDecide(ctx, d);
                break;
            case ("paid", ClaimPaid p):
                ctx.RequireRole(BankRole);
                DoPaid(ctx, p);
                break;
            default:
                ctx.Reject($"claims has no method '{method}' taking {arguments?.GetType().Name ?? "nothing"}");
                break;
        }
    }

    private void DoClaim(ContractContext ctx, ClaimFiling f)
    {
        if (ctx.Get(ClaimKey(f.Claim)) is not null) { ctx.Decline($"claim {f.Claim} already filed"); return; }
        var consent = ctx.Get<ConsentGrant>(ConsentKey(f.Customer));
        if (consent is null) { ctx.Decline($"refused: no consent on record for {f.Customer}"); return; }
        if (consent.Insurer != f.Insurer) { ctx.Decline($"refused: {f.Customer}'s consent covers {consent.Insurer}, not {f.Insurer}"); return; }
        if (f.AmountFen <= 0) { ctx.Decline("refused: a claim needs a positive amount"); return; }
        if (!EvidenceContract.Record(ctx, f.Record)) return;
        if (f.SealedRecord is { } sealedRecord) ctx.Put(InsurancePrivacy.RecordKey(f.Claim), sealedRecord);

        var total = ctx.Get(AutoTotalKey(f.Customer)) is long t ? t : 0;
        var why = f.Category != VisitCategory.Outpatient ? $"{f.Category.ToString().ToLowerInvariant()} claims are reviewed"
            : f.AmountFen > autoLimitFen ? $"{Cny(f.AmountFen)} above the automatic limit {Cny(autoLimitFen)}"
            : total + f.AmountFen > annualAutoLimitFen ? $"automatic total {Cny(total + f.AmountFen)} above the annual limit {Cny(annualAutoLimitFen)}"
            : null;
        if (why is not null)
        {
            ctx.Put(ClaimKey(f.Claim), new ClaimState(f.Claim, f.Customer, f.Insurer, f.Category, f.AmountFen, ClaimStatus.Review, 0, false, why));
            ctx.Emit(ContractRuntime.ResultEvent, ToReview + why);
            return;
        }
        ctx.Put(AutoTotalKey(f.Customer), total + f.AmountFen);
        Approve(ctx, new ClaimState(f.Claim, f.Customer, f.Insurer, f.Category, f.AmountFen, ClaimStatus.Review, 0, true, "within the rules"), f.AmountFen);
        ctx.Emit(ContractRuntime.ResultEvent, Approved);
    }

    private static void DoDecide(ContractContext ctx, ClaimDecision d)
    {
        var claim = ctx.Get<ClaimState>(ClaimKey(d.Claim));
        if (claim is null || claim.Status != ClaimStatus.Review) { ctx.Decline($"claim {d.Claim} is not awaiting review"); return; }
        if (claim.Insurer != ctx.Caller) ctx.Unauthorised($"{ctx.Caller} decides a claim on {claim.Insurer}");
        if (d.ApprovedFen < 0 || d.ApprovedFen > claim.AmountFen) { ctx.Decline($"approved {d.ApprovedFen} fen outside 0..{claim.AmountFen}"); return; }
        Approve(ctx, claim, d.ApprovedFen);
    }

    private static void Approve(ContractContext ctx, ClaimState claim, long fen)
    {
        ctx.Put(ClaimKey(claim.Claim), claim with { Status = ClaimStatus.Approved, ApprovedFen = fen });
        ctx.Put(PaymentKey(claim.Claim), new PaymentInstruction(claim.Claim, claim.Insurer, claim.Customer, fen));
    }

    private static void DoPaid(ContractContext ctx, ClaimPaid p)
    {
        var claim = ctx.Get<ClaimState>(ClaimKey(p.Claim));
        if (claim is null || claim.Status != ClaimStatus.Approved) { ctx.Decline($"claim {p.Claim} has no unpaid payment instruction"); return; }
        ctx.Put(ClaimKey(p.Claim), claim with { Status = ClaimStatus.Paid });
    }

    /// <summary>
    /// The ledger's invariants for one claim, from state alone: an approved or paid claim has a consent on record for
    /// its insurer, evidence of its visit record, a payment instruction for the approved amount, and no more than was
    /// claimed; a claim under review has no instruction. Returns what is wrong, or null.
    /// </summary>
    public static string? Audit(Func<string, object?> get, string id)
    {
        if (get(ClaimKey(id)) is not ClaimState c) return get(PaymentKey(id)) is null ? null : $"{id}: a payment instruction without a claim";
        if (get(ConsentKey(c.Customer)) is not ConsentGrant g || g.Insurer != c.Insurer) return $"{id}: on the ledger without {c.Customer}'s consent for {c.Insurer}";
        if (get(EvidenceContract.EntryKey(id)) is not EvidenceEntry) return $"{id}: no evidence of the visit record";
        var instruction = get(PaymentKey(id)) as PaymentInstruction;
        if (c.Status == ClaimStatus.Review) return instruction is null ? null : $"{id}: a payment instruction while under review";
        if (instruction is null || instruction.AmountFen != c.ApprovedFen) return $"{id}: {c.Status.ToString().ToLowerInvariant()} without a matching payment instruction";
        if (c.ApprovedFen > c.AmountFen) return $"{id}: approved {c.ApprovedFen} fen of {c.AmountFen} claimed";
        return null;
    }

    private static string Cny(long fen) => (fen / 100.0).ToString("#,0.##", CultureInfo.InvariantCulture) + " CNY";
}
