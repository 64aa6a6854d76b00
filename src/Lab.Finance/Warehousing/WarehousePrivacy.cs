using System.Globalization;
using System.Text;
using Lab.Finance.Evidence;
using Lab.Finance.Privacy;
using Lab.Ledger.Crypto;
using Lab.Sim.Metrics;

namespace Lab.Finance.Warehousing;

/// <summary>What a receipt leaves on the consortium's ledger: its lot's sensor state, the receipt's registry entry, and
/// the sealed loan terms of its latest pledge.</summary>
public enum WarehouseItem { Lot, Receipt, PledgeTerms }

/// <summary>
/// Who can read what on the warehouse-receipt chain (issue 14 §6) and the receipt documents' evidence (§5), derived from
/// a replica's stored state after a run.
/// <para>Read rules. The registry itself — lots (warehouse, attested and receipted weight, pledgee, flag) and receipts
/// (owner, weight, status, pledgee) — is shared by the consortium on purpose: it is what lets every bank refuse a second
/// pledge. A pledge's business terms (loan amount, which bank lends to whom on what terms) are private to the owner and
/// its bank: the bank seals them for a private collection of the two (plus the regulator); every replica stores the
/// ciphertext and its digest, so other banks and the warehouses hold the hash only. How parties reach the ledger:
/// warehouses, banks and the regulator hold a replica; owners use a bank's or the warehouse's gateway, which serves an
/// owner only its own lots and receipts.</para>
/// <para>Evidence: the warehouse stores the hash of each receipt's signed document with the issue call
/// (<see cref="EvidenceContract.Record"/>); the warehouses' hourly readings anchor the Merkle root of the documents
/// stored since (<see cref="EvidenceContract.CloseIfDue"/>). At the end of the run a party holding only the root checks
/// every issued receipt's document and, for the receipts of cheating owners, the copy with the tonnage inflated by the
/// Qingdao multiple (what such an owner would show a bank). Less than reality: the document is a line of text standing
/// for the signed PDF; the sealed terms' bytes are not added to the modelled transaction size (the pledge call's
/// 300 B stands for the whole call; sealing adds about 230 B of ciphertext and wrapped keys), so the timing is the
/// same as before privacy was added.</para>
/// </summary>
public static class WarehousePrivacy
{
    /// <summary>The regulator's identity: it holds a replica and every sealed payload is also sealed for it.</summary>
    public const string Regulator = "regulator";

    public static readonly IReadOnlyList<string> Parties =
        ["warehouse", "owner", "pledgee", "other-bank", "other-warehouse", "other-owner", "regulator"];

    public static readonly IReadOnlyList<string> Items = [.. Enum.GetValues<WarehouseItem>().Select(ItemName)];

    public const string MetricPrefix = ReadMatrix.MetricPrefix;
    public const string PrivacyBreaches = ReadMatrix.BreachesMetric;
    public const string EvidencePrefix = "receipt_documents";

    public static string ItemName(WarehouseItem i) => i switch
    {
        WarehouseItem.Lot => "lot",
        WarehouseItem.Receipt => "receipt",
        _ => "pledge-terms",
    };

    /// <summary>The rules: the registry is read by every replica holder and the owner; the terms by the owner, its bank and the regulator.</summary>
    public static ReadLevel Expected(string party, string item) => (party, item) switch
    {
        ("other-owner", _) => ReadLevel.Nothing,
        ("owner" or "pledgee" or "regulator", _) => ReadLevel.Read,
        (_, "pledge-terms") => ReadLevel.HashOnly,
        _ => ReadLevel.Read,
    };

    /// <summary>The loan terms of application <paramref name="a"/>, sealed for the owner and the bank (a private collection of the two) and the regulator.</summary>
    public static SealedPayload SealTerms(Application a, WarehouseBook book, Keyring keys)
    {
        var owner = WarehouseBook.Owner(a.Owner);
        var bank = WarehouseBook.Bank(a.Bank);
        var receipt = book.Receipts[a.Receipt];
        var content = string.Create(CultureInfo.InvariantCulture,
            $"pledge of {receipt.Id} ({receipt.Kg} kg, lot {a.Lot}) by {owner} to {bank}: loan {a.LoanCny} CNY, application {a.Index}");
        return new PrivateCollection($"pledge-{owner}-{bank}", [owner, bank]).Seal(content, keys, "warehouse-terms|" + a.Index.ToString(CultureInfo.InvariantCulture), Regulator);
    }

    /// <summary>The receipt's off-chain document as the warehouse signs it (a line standing for the PDF).</summary>
    public static byte[] Document(Receipt r, WarehouseBook book, long? kg = null)
    {
        var lot = book.Lots[r.Lot];
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"warehouse receipt {r.Id}|issuer {WarehouseBook.Warehouse(lot.Warehouse)}|lot {r.Lot}|owner {WarehouseBook.Owner(lot.Owner)}|{kg ?? r.Kg} kg|issued at {r.IssueNs} ns"));
    }

    /// <summary>The evidence the issue call stores: the document's hash and metadata (issuer and lot), never the document.</summary>
    public static EvidenceItem DocumentEvidence(Receipt r, WarehouseBook book) =>
        new(r.Id, Hash.Of(Document(r, book)), "warehouse-receipt",
            string.Create(CultureInfo.InvariantCulture, $"{WarehouseBook.Warehouse(book.Lots[r.Lot].Warehouse)} lot {r.Lot}"));

    public static bool HoldsReplica(string party) =>
        party == Regulator || party.StartsWith("wh", StringComparison.Ordinal) || party.StartsWith("bank", StringComparison.Ordinal);

    /// <summary>What <paramref name="party"/> reaches of a receipt owned (at issue) by <paramref name="owner"/>: the
    /// whole replica for replica holders; the gateway's answer (its own receipts and lots only) for owners.</summary>
    public static Func<string, object?> View(Func<string, object?> replica, string party, string owner) =>
        HoldsReplica(party) || party == owner ? replica : _ => null;

    /// <summary>
    /// Fills the matrix from <paramref name="replica"/>: for every receipt on it, each row's party (the receipt's warehouse,
    /// its owner at issue, the bank whose terms are stored, and the first institution of each kind it does not name) tries
    /// to read each item present, with its own key, from the state it reaches.
    /// </summary>
    public static ReadMatrix Derive(Func<string, object?> replica, WarehouseBook book, WarehouseOptions o, Keyring keys)
    {
        var m = new ReadMatrix(Parties, Items);
        var warehouses = Enumerable.Range(0, o.Warehouses).Select(WarehouseBook.Warehouse).ToList();
        var banks = Enumerable.Range(0, o.Banks).Select(WarehouseBook.Bank).ToList();
        var owners = Enumerable.Range(0, o.Owners).Select(WarehouseBook.Owner).ToList();
        foreach (var r in book.Receipts)
        {
            if (replica(ReceiptContract.ReceiptKey(r.Id)) is not ReceiptState s) continue;
            var owner = WarehouseBook.Owner(book.Lots[s.Lot].Owner);
            var who = new (string Row, string? Party)[]
            {
                ("warehouse", s.Warehouse), ("owner", owner), ("pledgee", s.TermsBy),
                ("other-bank", banks.FirstOrDefault(b => b != s.TermsBy)), ("other-warehouse", warehouses.FirstOrDefault(w => w != s.Warehouse)),
                ("other-owner", owners.FirstOrDefault(x => x != owner)), ("regulator", Regulator),
            };
            foreach (var item in Enum.GetValues<WarehouseItem>())
            {
                var key = item switch
                {
                    WarehouseItem.Lot => ReceiptContract.LotKey(s.Lot),
                    WarehouseItem.Receipt => ReceiptContract.ReceiptKey(r.Id),
                    _ => ReceiptContract.TermsKey(r.Id),
                };
                if (replica(key) is null) continue; // never pledged: no terms to read for anyone
                foreach (var (row, party) in who)
                    if (party is not null) m.Record(row, ItemName(item), Reading.Attempt(View(replica, party, owner)(key), keys.Of(party)));
            }
        }
        return m;
    }

    /// <summary>The matrix, its differences from the rules, and the end-of-run evidence check of the receipt documents.</summary>
    public static WarehousePrivacyResults Measure(Func<string, object?> replica, WarehouseBook book, WarehouseOptions o, Keyring keys)
    {
        var matrix = Derive(replica, book, o, keys);
        var evidence = new EvidenceTally();
        foreach (var r in book.Receipts)
        {
            if (replica(ReceiptContract.ReceiptKey(r.Id)) is not ReceiptState) continue; // refused (phantom) receipts store nothing
            evidence.Genuine(replica, r.Id, Document(r, book));
            if (book.FraudulentOwners[book.Lots[r.Lot].Owner])
                evidence.Altered(replica, r.Id, Document(r, book, (long)Math.Round(r.Kg * o.ReceiptsMultiple)));
        }
        return new WarehousePrivacyResults(matrix, matrix.Differences(Expected), evidence);
    }

    public static IEnumerable<(string Name, string Description)> Descriptions =>
    [
        (PrivacyBreaches, "on chain: cells of the who-can-read matrix, derived from a replica's state, that differ from the read rules (must be 0)"),
        ($"{MetricPrefix}.<party>.<item>", "on chain: who-can-read matrix from a replica's state: 2 read, 1 hash only, 0 nothing, −1 mixed"),
        .. EvidenceTally.Describe(EvidencePrefix, "issued receipts' signed documents"),
    ];
}

/// <summary>What <see cref="WarehousePrivacy.Measure"/> found.</summary>
public sealed record WarehousePrivacyResults(ReadMatrix Matrix, IReadOnlyList<string> Breaches, EvidenceTally Evidence)
{
    public void Write(RunMetrics m)
    {
        Matrix.Write(m, WarehousePrivacy.Expected);
        Evidence.Write(m, WarehousePrivacy.EvidencePrefix);
    }
}
