using System.Text;
using Lab.Finance.Privacy;

namespace Lab.Finance.Insurance;

/// <summary>
/// Who can read what on the claims chain (issue 14 §6), derived from a replica's stored state after a run.
/// <para>
/// What a claim leaves on the ledger. <c>consent</c>: the customer's consent (customer, insurer, fingerprint of the
/// signed form; <see cref="ClaimsContract.ConsentKey"/>), plain because the contract checks it. <c>claim</c>: the claim's
/// adjudication facts and status (customer, insurer, category, amounts, why reviewed; <see cref="ClaimsContract.ClaimKey"/>),
/// plain because the rules run on them in every validator. <c>visit-record</c>: the visit record itself — what the
/// hospital wrote (diagnosis, itemised bill) — sealed for its collection (<see cref="RecordKey"/>); its hash is the
/// evidence the exchange stores and anchors. <c>payment</c>: the payment instruction (insurer, customer, amount;
/// <see cref="ClaimsContract.PaymentKey"/>), plain because the bank pays it.
/// </para>
/// <para>
/// How parties reach it. Each insurer's claims live in that insurer's channel (Fabric's term: members of a channel
/// store its ledger, others store nothing of it): the insurer, the health commission, the data exchange, the paying
/// bank and the regulator are members of every insurer's channel; another insurer is not. The customer reads its own
/// items through the app's gateway, and a hospital the records of the visits it treated through the exchange's gateway.
/// Inside a channel the visit record is sealed (<see cref="PrivateCollection"/>: AES-GCM, per-recipient keys) for
/// {customer, hospital, insurer, health commission} and the regulator, so the exchange and the bank hold its hash only.
/// A read attempt takes the item from the state the party reaches and opens it with the party's own key
/// (<see cref="Reading.Attempt"/>).
/// </para>
/// <para>
/// Less than reality, and said so. The simulated chain is one ledger: its four validators order and store both
/// insurers' channels (in a Fabric deployment each insurer's peer joins only its own channel and the shared ordering
/// service sees the envelopes); the matrix checks the rules a channel deployment gives each party, so the validator
/// the ready file gives "an insurer" is read as a member of its own channel only. The hospital seals the record when
/// the visit ends; the model makes the sealed copy where the exchange files the claim (same bytes: sealing is
/// deterministic per claim), and the exchange's filing computes the record's hash, which a hospital would hand over
/// with the sealed record. Sealing adds state, not modelled bytes: the filing call's 300 B and the 600 B record
/// messages are unchanged (the sealed record is about 490 B of ciphertext and five wrapped keys beside them, like Fabric's
/// transient data), so sizes and timing are the same with and without it.
/// </para>
/// </summary>
public sealed class InsurancePrivacy(Keyring keys)
{
    public const string Regulator = "regulator";

    /// <summary>The matrix's rows: parties as they stand to one claim.</summary>
    public static readonly IReadOnlyList<string> Parties =
        ["customer", "hospital", "health-commission", "exchange", "insurer", "other-insurer", "bank", Regulator];

    public static readonly IReadOnlyList<string> Items = ["consent", "claim", "visit-record", "payment"];

    public Keyring Keys => keys;

    public static string RecordKey(string claim) => ClaimsContract.ClaimKey(claim) + "/record";

    /// <summary>
    /// The read rules, one line of reason each (rows × items; anything not listed is <see cref="ReadLevel.Read"/>).
    /// </summary>
    public static readonly IReadOnlyList<(string Party, string Item, ReadLevel Level, string Why)> Rules =
    [
        ("customer", "*", ReadLevel.Read, "its own consent, claim, record and payment, through the app's gateway"),
        ("hospital", "visit-record", ReadLevel.Read, "it wrote the record (a member of the record's collection)"),
        ("hospital", "*", ReadLevel.Nothing, "its gateway serves only the records of the visits it treated: whom a patient insures with and what was paid is not its business"),
        ("health-commission", "*", ReadLevel.Read, "a member of every channel (it recognises insured customers) and of the record's collection: every hospital reports its visits to it anyway"),
        ("exchange", "visit-record", ReadLevel.HashOnly, "it checks consent and files the claim's facts, never the medical content: it relays the sealed record and stores its hash"),
        ("exchange", "*", ReadLevel.Read, "a channel member: it checks the consent and files the claim"),
        ("insurer", "*", ReadLevel.Read, "the customer's insurer adjudicates on the record and pays"),
        ("other-insurer", "*", ReadLevel.Nothing, "not a member of a competitor's channel: it stores nothing of the competitor's customers"),
        ("bank", "visit-record", ReadLevel.HashOnly, "it pays the claim and needs no medical content"),
        ("bank", "*", ReadLevel.Read, "a channel member: it pays the instruction and confirms it"),
        (Regulator, "*", ReadLevel.Read, "a regulator reads everything: a member of every channel and every collection"),
    ];

    /// <summary>The level <see cref="Rules"/> give <paramref name="party"/> on <paramref name="item"/>: the first rule that names the item, else the party's "*" rule.</summary>
    public static ReadLevel Expected(string party, string item) =>
        Rules.FirstOrDefault(r => r.Party == party && r.Item == item) is { Party: not null } exact ? exact.Level
        : Rules.FirstOrDefault(r => r.Party == party && r.Item == "*") is { Party: not null } any ? any.Level
        : ReadLevel.Read;

    /// <summary>Members of the record's collection (the regulator is added to every seal).</summary>
    public static IReadOnlyList<string> RecordCollection(string customer, string hospital, string insurer) =>
        [customer, hospital, insurer, InsuranceBook.Commission];

    /// <summary>The visit record sealed for its collection: the very bytes whose hash the claim stores as evidence.</summary>
    public SealedPayload Seal(Visit v, InsuranceBook book)
    {
        var customer = InsuranceBook.CustomerName(v.Customer);
        return new PrivateCollection("visit-record", RecordCollection(customer, InsuranceBook.Hospital(v.Hospital), InsuranceBook.Insurer(book.Customers[v.Customer].Insurer)))
            .Seal(Encoding.UTF8.GetString(v.Record(book)), keys, v.ClaimId, Regulator);
    }

    /// <summary>The channels <paramref name="party"/> is a member of include that of <paramref name="insurer"/>.</summary>
    public static bool InChannel(string party, string insurer) =>
        party == insurer || party is InsuranceBook.Commission or InsuranceBook.Exchange or InsuranceBook.Bank or Regulator;

    /// <summary>What <paramref name="party"/> reaches of claim <paramref name="c"/>'s items: the channel's state for its
    /// members; the gateway's answer for the customer (its own items) and the treating hospital (the record only).</summary>
    public static Func<string, object?> View(Func<string, object?> replica, string party, ClaimState c, string hospital)
    {
        if (InChannel(party, c.Insurer) || party == c.Customer) return replica;
        if (party == hospital) return k => k == RecordKey(c.Claim) ? replica(k) : null;
        return _ => null;
    }

    /// <summary>
    /// Fills the matrix from <paramref name="replica"/>: for every claim on it, each row's party (the claim's customer,
    /// the hospital that treated, the commission, the exchange, the claim's insurer, the first insurer that is not it,
    /// the bank, the regulator) tries to read each item present, with its own key, from the state it reaches. The
    /// channel is the insurer the stored claim names; the hospital is the visit's.
    /// </summary>
    public ReadMatrix Derive(Func<string, object?> replica, InsuranceBook book, int insurers)
    {
        var m = new ReadMatrix(Parties, Items);
        foreach (var v in book.Visits)
        {
            if (replica(ClaimsContract.ClaimKey(v.ClaimId)) is not ClaimState c) continue;   // refused (no consent) or never filed
            var hospital = InsuranceBook.Hospital(v.Hospital);
            var other = Enumerable.Range(0, insurers).Select(InsuranceBook.Insurer).FirstOrDefault(i => i != c.Insurer);
            var who = new (string Row, string? Party)[]
            {
                ("customer", c.Customer), ("hospital", hospital), ("health-commission", InsuranceBook.Commission), ("exchange", InsuranceBook.Exchange),
                ("insurer", c.Insurer), ("other-insurer", other), ("bank", InsuranceBook.Bank), (Regulator, Regulator),
            };
            foreach (var (item, key) in new[] { ("consent", ClaimsContract.ConsentKey(c.Customer)), ("claim", ClaimsContract.ClaimKey(c.Claim)),
                         ("visit-record", RecordKey(c.Claim)), ("payment", ClaimsContract.PaymentKey(c.Claim)) })
            {
                if (replica(key) is null) continue;   // no payment instruction yet (under review, or declined): nothing to read for anyone
                foreach (var (row, party) in who)
                    if (party is not null) m.Record(row, item, Reading.Attempt(View(replica, party, c, hospital)(key), keys.Of(party)));
            }
        }
        return m;
    }
}
