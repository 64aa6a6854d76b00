namespace Lab.Finance.Insurance;

/// <summary>What happened to a claim, for the report's "follow one claim".</summary>
public enum ClaimStage
{
    /// <summary>The patient's hospital visit ended (on chain the hospital's system sends the record to the health commission); detail: the amount, fen.</summary>
    Visit,
    /// <summary>On chain: the commission recognised an insured customer and passed the visit to the data exchange.</summary>
    Recognised,
    /// <summary>On chain: the exchange's claim filing is final; the contract checked consent and approved it by its rules (detail 0)
    /// or sent it to review (detail: the reason's code, <see cref="ClaimTrail.ReviewReasons"/>).</summary>
    Filed,
    /// <summary>On chain: the contract refused the filing (detail: <see cref="ClaimTrail.RefusalReasons"/>); the customer will file on paper.</summary>
    Refused,
    /// <summary>On chain: the visit record's Merkle root is anchored; the exchange sends the insurer the record with its proof.</summary>
    EvidenceStored,
    /// <summary>On chain: the insurer checked the record against the anchored root (detail 1: authentic, 0: not).</summary>
    EvidenceChecked,
    /// <summary>The customer filed on paper (detail 1: after the chain refused the claim).</summary>
    PaperFiled,
    /// <summary>The paper documents reached the insurer and were keyed in.</summary>
    DocumentsReceived,
    /// <summary>The claim joined the review queue (detail 1: after a chase).</summary>
    QueuedForReview,
    /// <summary>The reviewer asked the customer for missing documents.</summary>
    Chased,
    /// <summary>The customer sent the missing documents.</summary>
    Answered,
    /// <summary>The reviewer finished the claim.</summary>
    Reviewed,
    /// <summary>On chain: the insurer's decision on a reviewed claim is final (the payment instruction is on the ledger).</summary>
    Decided,
    /// <summary>The insurer sent the payment order to the bank (paper: with the daily batch).</summary>
    PaymentOrdered,
    /// <summary>The bank paid the customer (detail: fen).</summary>
    Paid,
}

/// <summary>One step of a claim's trail: when and what (who acted follows from the stage and the visit).</summary>
public readonly record struct ClaimStep(long AtNs, ClaimStage Stage, long Detail);

/// <summary>Institutions of a claim's trail, and the reason codes a step may carry.</summary>
public static class ClaimTrail
{
    /// <summary>Claims followed per run: evenly spaced over the book (the same ones in both processes).</summary>
    public const int Followed = 40;

    /// <summary>The contract's refusals of a filing: code ↔ the fixed text (the customer and insurer in it are the claim's).</summary>
    public static readonly IReadOnlyList<(string Contains, string Text)> RefusalReasons =
    [
        ("", "refused"),
        ("refused: no consent on record for ", "no consent on record for the customer"),
        ("refused: a claim needs a positive amount", "a claim needs a positive amount"),
        ("'s consent covers ", "the customer's consent covers another insurer"),
    ];

    /// <summary>Why the contract's rules send a claim to review: code ↔ the fixed text (the amounts in it are the claim's).</summary>
    public static readonly IReadOnlyList<(string Contains, string Text)> ReviewReasons =
    [
        ("", "approved automatically"),
        ("inpatient claims are reviewed", "inpatient claims are reviewed"),
        ("special claims are reviewed", "special claims are reviewed"),
        (" above the automatic limit ", "the amount is above the automatic limit"),
        (" above the annual limit ", "the customer's automatic total is above the annual limit"),
    ];

    public static long RefusalCode(string? reason)
    {
        for (int i = 1; i < RefusalReasons.Count; i++)
            if (reason is not null && reason.Contains(RefusalReasons[i].Contains, StringComparison.Ordinal)) return i;
        return 0;
    }

    public static long ReviewCode(string? why)
    {
        for (int i = 1; i < ReviewReasons.Count; i++)
            if (why is not null && why.Contains(ReviewReasons[i].Contains, StringComparison.Ordinal)) return i;
        return 0;
    }

    /// <summary>Every institution a step can name, in order: the customers' app, hospitals, commission, exchange, insurers, bank.</summary>
    public static IReadOnlyList<string> Institutions(InsuranceOptions o) =>
    [
        InsuranceBook.App, .. Enumerable.Range(0, o.Hospitals).Select(InsuranceBook.Hospital), InsuranceBook.Commission, InsuranceBook.Exchange,
        .. Enumerable.Range(0, o.Insurers).Select(InsuranceBook.Insurer), InsuranceBook.Bank,
    ];

    /// <summary>Who took a step of <paramref name="visit"/>'s claim: an index in <see cref="Institutions"/>.</summary>
    public static int Who(ClaimStage stage, Visit visit, InsuranceBook book, InsuranceOptions o) => stage switch
    {
        ClaimStage.Visit => 1 + visit.Hospital,
        ClaimStage.Recognised => 1 + o.Hospitals,
        ClaimStage.Filed or ClaimStage.Refused or ClaimStage.EvidenceStored => 2 + o.Hospitals,
        ClaimStage.PaperFiled or ClaimStage.Answered => 0,
        ClaimStage.Paid => 3 + o.Hospitals + o.Insurers,
        _ => 3 + o.Hospitals + book.Customers[visit.Customer].Insurer,
    };
}
