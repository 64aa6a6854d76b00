using System.Globalization;
using Lab.Finance.Privacy;

namespace Lab.Finance.Abs;

/// <summary>One read rule: who reads an item, who holds only its ciphertext and digest (everyone else: nothing), and why.</summary>
public sealed record AbsReadRule(string Item, IReadOnlyList<string> Read, IReadOnlyList<string> HashOnly, string Reason);

/// <summary>
/// Who can read what on the ABS deal chain (issue 14 §6), derived from a replica's stored state after a run.
/// <para>
/// The items. <c>loan-status</c>: the contract's plain record of each loan (balance, missed instalments, defaulted),
/// keyed by its pool index — anonymised loan-level performance. <c>borrower</c>: the borrower-level line of the
/// originator's tape (who the borrower is, the loan's terms, the vehicle) that the trustee seals at closing for the
/// collection {originator, servicer, trustee, rating agency, regulator}; the contract stores it beside the loan under
/// <see cref="BorrowerKey"/>. <c>pool-report</c>: each period's waterfall (the trustee's payment report), plain.
/// <c>holding</c>: an investor's units of a class (the runtime's plain token balance). <c>unit-trade</c>: the record
/// of a unit transfer (who sold how many units of which class to whom), sealed by the seller for {seller, buyer,
/// trustee, regulator} and stored under <see cref="TradeKey"/>.
/// </para>
/// <para>
/// How parties reach the ledger (the ready file's layout): the originator, servicer, trustee, rating agency and
/// regulator each run a replica; investors have none and read through the investors' custodian's node, a gateway
/// that serves an investor the deal's public state (loans, reports, the sealed tapes as ciphertext) and, of the
/// unit register, only its own holdings and the trades it is party to (<see cref="View"/>). The gateway's filter is
/// the custodian's word, not cryptography: a custodian that leaks serves more. The sealing protects the rest
/// against every replica holder.
/// </para>
/// <para>
/// What the model leaves out, and shows in the matrix. Unit balances are plain numbers in every replica (the
/// runtime's token ledger, which checks conservation after every block), so the originator, servicer and rating
/// agency read every investor's holding from their replicas and can infer trades from balance changes; hiding them
/// needs confidential balances (commitments with range proofs), not modelled. The transfer call itself names the
/// buyer and the units in clear to the validators; the matrix is read from the world state, not from the blocks.
/// Transaction sizes and timing are unchanged: sealed items travel beside the call (like Fabric's transient data
/// and private write sets, whose hash alone is ordered); that side traffic is not modelled.
/// </para>
/// </summary>
public sealed class AbsPrivacy(Keyring keys)
{
    public const string Investor = "investor";
    public const string Counterparty = "counterparty";
    public const string OtherInvestor = "other-investor";

    /// <summary>The matrix's rows: the five institutions, and investors as they stand to a holding or trade (the
    /// holder or seller, its buyer, an investor on neither side). For pool-wide items the three investor rows are
    /// tried by investors in rotation.</summary>
    public static readonly IReadOnlyList<string> Parties =
        [AbsBook.Originator, AbsBook.Servicer, AbsBook.Trustee, AbsBook.RatingAgency, AbsBook.Regulator, Investor, Counterparty, OtherInvestor];

    private static readonly string[] Institutions = [AbsBook.Originator, AbsBook.Servicer, AbsBook.Trustee, AbsBook.RatingAgency, AbsBook.Regulator];
    private static readonly string[] Investors = [Investor, Counterparty, OtherInvestor];

    /// <summary>
    /// The read rules, one line each with its reason. Anyone in neither list reads nothing. The practice cited:
    /// EU Securitisation Regulation (EU) 2017/2402 Art. 7(1)(a) (loan-level data to holders, anonymised on ESMA's
    /// templates) and 7(1)(e) (investor reports); US Reg AB II (Schedule AL asset-level data without borrower identity;
    /// Item 1121 distribution reports); China's PIPL (2021) for borrower personal data; SEC Rule 17g-5 / the EU CRA
    /// Regulation for rating agencies' access to the loan tape.
    /// </summary>
    public static readonly IReadOnlyList<AbsReadRule> Rules =
    [
        new("loan-status", [.. Institutions, .. Investors], [],
            "anonymised loan-level performance, by pool index: every party (SR Art. 7(1)(a), Reg AB II Schedule AL); the contract checks each event against it"),
        new("borrower", Institutions, Investors,
            "borrower identity and file: originator, servicer, trustee, rating agency (17g-5 / CRA tape access), regulator; personal data (PIPL), never on investor templates — investors hold its digest"),
        new("pool-report", [.. Institutions, .. Investors], [],
            "the period's waterfall (payment report): every party (SR Art. 7(1)(e), Reg AB Item 1121, the trustee's 受托机构报告)"),
        new("holding", [.. Institutions, Investor], [],
            "an investor's units: itself, the trustee (registrar), the regulator; not other holders; originator, servicer, rating agency read it only because unit balances are plain in every replica (not modelled: confidential balances)"),
        new("unit-trade", [AbsBook.Trustee, AbsBook.Regulator, Investor, Counterparty], [AbsBook.Originator, AbsBook.Servicer, AbsBook.RatingAgency],
            "a unit transfer's terms: the two investors, the trustee (registrar), the regulator; other replica holders hold its hash; another investor reads nothing"),
    ];

    public static readonly IReadOnlyList<string> Items = [.. Rules.Select(r => r.Item)];

    public Keyring Keys => keys;

    public static string BorrowerKey(int loan) => DealContract.LoanKey(loan) + "/borrower";
    public static string TradeKey(int trade) => "trade/" + trade.ToString(CultureInfo.InvariantCulture);
    /// <summary>The runtime's token-balance key (ContractRuntime.BalanceKey) of a holder's units of a class.</summary>
    public static string HoldingKey(string cls, string holder) => "balance/" + DealContract.Asset(cls) + "/" + holder;

    public static ReadLevel Expected(string party, string item)
    {
        var rule = Rules.First(r => r.Item == item);
        return rule.Read.Contains(party) ? ReadLevel.Read : rule.HashOnly.Contains(party) ? ReadLevel.HashOnly : ReadLevel.Nothing;
    }

    /// <summary>The borrower collection: who may open the borrower-level tape.</summary>
    public static readonly PrivateCollection BorrowerCollection =
        new("borrowers", [AbsBook.Originator, AbsBook.Servicer, AbsBook.Trustee, AbsBook.RatingAgency]);

    /// <summary>The borrower-level line of loan <paramref name="l"/> (the borrower's name, ID number, address and the
    /// vehicle stand in as one reference: the model draws no personal data), sealed for the collection and the regulator.</summary>
    public SealedPayload SealBorrower(Loan l) =>
        BorrowerCollection.Seal(string.Create(CultureInfo.InvariantCulture,
                $"loan {l.Index}: borrower B{l.Index:000000} (name, national ID, address, vehicle VIN), principal {l.Principal} fen, rate {l.Rate:0.0000}, term {l.Term} months, due day {l.DueDay}"),
            keys, "abs-borrower|" + l.Index.ToString(CultureInfo.InvariantCulture), AbsBook.Regulator);

    /// <summary>The record of unit trade <paramref name="t"/>, sealed for its two investors, the trustee and the regulator.</summary>
    public SealedPayload SealTrade(UnitTrade t) =>
        new PrivateCollection("trade|" + AbsBook.Investor(t.Seller) + "|" + AbsBook.Investor(t.Buyer), [AbsBook.Investor(t.Seller), AbsBook.Investor(t.Buyer)])
            .Seal(string.Create(CultureInfo.InvariantCulture, $"unit trade {t.Index}: {AbsBook.Investor(t.Seller)} sells {t.Units} class {t.Class} units to {AbsBook.Investor(t.Buyer)}"),
                keys, "abs-trade|" + t.Index.ToString(CultureInfo.InvariantCulture), AbsBook.Trustee, AbsBook.Regulator);

    /// <summary>The trustee's issue call with the borrower-level tape sealed beside it (the contract stores it per loan).</summary>
    public IssueNotes WithTape(IssueNotes n) => n with { Borrowers = [.. n.Loans.Select(SealBorrower)] };

    /// <summary>The seller's transfer of <paramref name="t"/> with its sealed record beside it (the contract stores it on acceptance).</summary>
    public TransferUnits WithRecord(UnitTrade t) =>
        new(t.Class, AbsBook.Investor(t.Buyer), t.Units) { Trade = t.Index, Record = SealTrade(t) };

    public static bool HoldsReplica(string party) => !party.StartsWith(Investor, StringComparison.Ordinal);

    /// <summary>What <paramref name="party"/> gets for <paramref name="key"/>: a replica holder its replica's value; an
    /// investor the custodian gateway's answer — the value, unless the key is another investor's holding or trade
    /// (<paramref name="register"/>: the investors the register entry belongs to; null: public deal state).</summary>
    public static object? View(Func<string, object?> replica, string party, string key, IReadOnlyList<string>? register) =>
        HoldsReplica(party) || register is null || register.Contains(party) ? replica(key) : null;

    /// <summary>
    /// Fills the matrix from <paramref name="replica"/>: every loan, closed period and settled trade on it, each row's
    /// party tries each item with its own key from the state it reaches. A cell no attempt reached (no trades, fewer
    /// than three investors) stays empty: not measured.
    /// </summary>
    public ReadMatrix Derive(Func<string, object?> replica, AbsBook book, int investors)
    {
        var m = new ReadMatrix(Parties, Items);
        string? InvestorAt(int i) => i < investors ? AbsBook.Investor(i) : null;
        void Try(string item, string key, IReadOnlyList<string>? register, params (string Row, string? Party)[] who)
        {
            var stored = replica(key);
            if (stored is null) return;   // not on this replica (not issued, not closed, not settled): nothing to read for anyone
            foreach (var (row, party) in who)
                if (party is not null) m.Record(row, item, Reading.Attempt(View(_ => stored, party, key, register), keys.Of(party)));
        }
        (string, string?)[] Pool(int k) =>
        [
            .. Institutions.Select(p => (p, (string?)p)),
            (Investor, InvestorAt(k % Math.Max(1, investors))), (Counterparty, investors >= 2 ? InvestorAt((k + 1) % investors) : null),
            (OtherInvestor, investors >= 3 ? InvestorAt((k + 2) % investors) : null),
        ];
        foreach (var l in book.Loans)
        {
            var who = Pool(l.Index);
            Try("loan-status", DealContract.LoanKey(l.Index), null, who);
            Try("borrower", BorrowerKey(l.Index), null, who);
        }
        foreach (var p in book.Periods) Try("pool-report", DealContract.WaterfallKey(p.Index), null, Pool(p.Index));
        for (int i = 0; i < investors; i++)   // each investor's units, with or without trades (no counterparty here)
            foreach (var cls in AbsBook.Classes)
            {
                var holder = AbsBook.Investor(i);
                Try("holding", HoldingKey(cls, holder), [holder],
                    [.. Institutions.Select(p => (p, (string?)p)), (Investor, holder), (OtherInvestor, investors >= 2 ? InvestorAt((i + 1) % investors) : null)]);
            }
        foreach (var t in book.Trades)
        {
            if (replica(TradeKey(t.Index)) is null) continue;   // not settled with a record on this replica
            var seller = AbsBook.Investor(t.Seller);
            var buyer = AbsBook.Investor(t.Buyer);
            var other = Enumerable.Range(0, investors).Where(i => i != t.Seller && i != t.Buyer).Select(AbsBook.Investor).FirstOrDefault();
            (string, string?)[] who = [.. Institutions.Select(p => (p, (string?)p)), (Investor, seller), (Counterparty, buyer), (OtherInvestor, other)];
            Try("holding", HoldingKey(t.Class, seller), [seller], who);
            Try("unit-trade", TradeKey(t.Index), [seller, buyer], who);
        }
        return m;
    }

    /// <summary>Cells that break <see cref="Expected"/>, among the cells some attempt reached (ReadMatrix's words).</summary>
    public static IReadOnlyList<string> Breaches(ReadMatrix m) => m.Differences(Expected, attemptedOnly: true);

    public static bool Measured(ReadMatrix m, string party, string item) => m.Attempted(party, item);

    /// <summary>The measured cells as metrics (<c>can_read.&lt;party&gt;.&lt;item&gt;</c>) and the breaches' count.</summary>
    public static IReadOnlyList<string> Write(Lab.Sim.Metrics.RunMetrics metrics, ReadMatrix m) => m.Write(metrics, Expected, attemptedOnly: true);
}
