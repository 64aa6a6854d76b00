using System.Globalization;
using Lab.Finance.Privacy;

namespace Lab.Finance.CrossBorder;

/// <summary>
/// Who can read what on the multi-currency ledger (issue 14 §6).
/// <para>
/// The rules, and why. A payment's terms (banks, currencies, amount) are the two banks' business, and the customers
/// behind it (originator, beneficiary) are personal data under bank secrecy and data-protection law. mBridge's
/// design (BIS Innovation Hub, 2022 report) keeps transaction details private to the transacting banks and their
/// central banks: a central bank sees the payments in its currency and of its jurisdiction's banks (supervision,
/// AML/sanctions — the "a regulator reads everything", per jurisdiction), while the other validating
/// central banks hold the ledger without reading it. In the correspondent world every intermediary reads the whole
/// pacs.008; on the ledger there is none. The FX dealer is the counterparty of the PvP leg, so it reads the payment
/// it converts but not who the customers are. A competitor bank reads nothing of another bank's payments.
/// </para>
/// <para>
/// How the ledger keeps them. The sending bank seals two items with each payment: the payment record for the
/// collection {sender, receiver, both currencies' central banks, the dealer when it converts}, and the customer
/// record for {sender, receiver, both central banks}; the contract stores them next to the public execution marker
/// (<c>paid/n</c>). Wallet balances stay plain numbers in the world state (the model's stated gap: hiding them needs
/// confidential balances, not modelled), and the call itself carries the payment in clear to the validators. Every
/// party is checked as if it held a full replica. Transaction sizes are unchanged (the 600-byte figure already
/// covers a pacs.008-sized payload; the sealed copies travel beside it, as Fabric's transient data does).
/// </para>
/// </summary>
public sealed class CrossBorderPrivacy(Keyring keys)
{
    public static readonly IReadOnlyList<string> Parties =
        ["sender-bank", "receiver-bank", "other-bank", "sender-cb", "receiver-cb", "other-cb", "fx-dealer"];
    public static readonly IReadOnlyList<string> Items = ["status", "payment", "customers", "balances"];

    public Keyring Keys => keys;

    public static string StatusKey(int payment) => "paid/" + payment.ToString(CultureInfo.InvariantCulture);
    public static string PaymentKey(int payment) => StatusKey(payment) + "/payment";
    public static string CustomersKey(int payment) => StatusKey(payment) + "/customers";

    public static IReadOnlyList<string> PaymentCollection(LedgerPayment p) =>
        [p.Sender, p.Receiver, CrossBorderWorld.CentralBank(p.FromCurrency), CrossBorderWorld.CentralBank(p.ToCurrency), .. p.FromCurrency != p.ToCurrency ? [CrossBorderWorld.Dealer] : Array.Empty<string>()];
    public static IReadOnlyList<string> CustomerCollection(LedgerPayment p) =>
        [p.Sender, p.Receiver, CrossBorderWorld.CentralBank(p.FromCurrency), CrossBorderWorld.CentralBank(p.ToCurrency)];

    /// <summary>The payment with its two sealed records (deterministic per payment, so a resubmission is identical).</summary>
    public LedgerPayment Seal(LedgerPayment p)
    {
        var id = p.Index.ToString(CultureInfo.InvariantCulture);
        return p with
        {
            Details = SealedPayload.Seal($"payment {id}: {p.Sender} pays {p.AmountMinor} {p.FromCurrency} to {p.Receiver} in {p.ToCurrency}", PaymentCollection(p), keys, "payment|" + id),
            Customers = SealedPayload.Seal($"payment {id}: from {p.Originator} to {p.Beneficiary}", CustomerCollection(p), keys, "customers|" + id),
        };
    }

    /// <summary>The two sealed records a payment carries (null when unsealed).</summary>
    public static (SealedPayload? Details, SealedPayload? Customers) SealedOf(LedgerPayment p) => (p.Details, p.Customers);

    /// <summary>The rules: what the ledger must give each party.</summary>
    public static ReadLevel Expected(string party, string item) => (party, item) switch
    {
        ("sender-bank" or "receiver-bank" or "sender-cb" or "receiver-cb", _) => ReadLevel.Read,
        ("fx-dealer", "customers") => ReadLevel.HashOnly,
        ("fx-dealer", _) => ReadLevel.Read,
        (_, "payment" or "customers") => ReadLevel.HashOnly,   // another bank, another central bank
        _ => ReadLevel.Read,                                    // status and balances are public world state
    };

    /// <summary>Fills the matrix from one replica's state: for every payment executed on it, every row tries every item with its own key
    /// (the dealer only on the payments it converts).</summary>
    public ReadMatrix Derive(Func<string, object?> replica, IEnumerable<LedgerPayment> payments, IReadOnlyList<string> banks, IReadOnlyList<string> currencies)
    {
        var m = new ReadMatrix(Parties, Items);
        foreach (var p in payments)
        {
            if (replica(StatusKey(p.Index)) is null) continue;   // refused or never executed
            var otherCcy = currencies.FirstOrDefault(c => c != p.FromCurrency && c != p.ToCurrency);
            var who = new (string Row, string? Party)[]
            {
                ("sender-bank", p.Sender), ("receiver-bank", p.Receiver), ("other-bank", banks.FirstOrDefault(b => b != p.Sender && b != p.Receiver)),
                ("sender-cb", CrossBorderWorld.CentralBank(p.FromCurrency)), ("receiver-cb", CrossBorderWorld.CentralBank(p.ToCurrency)),
                ("other-cb", otherCcy is null ? null : CrossBorderWorld.CentralBank(otherCcy)),
                ("fx-dealer", p.FromCurrency != p.ToCurrency ? CrossBorderWorld.Dealer : null),
            };
            foreach (var (item, key) in new[] { ("status", StatusKey(p.Index)), ("payment", PaymentKey(p.Index)), ("customers", CustomersKey(p.Index)),
                         ("balances", "balance/" + p.FromCurrency + "/" + p.Sender) })   // ContractRuntime's balance key
            {
                var stored = replica(key);
                foreach (var (row, party) in who)
                    if (party is not null) m.Record(row, item, Reading.Attempt(stored, keys.Of(party)));
            }
        }
        return m;
    }
}
