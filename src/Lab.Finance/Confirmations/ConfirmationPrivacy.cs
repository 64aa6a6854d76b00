using Lab.Finance.Privacy;

namespace Lab.Finance.Confirmations;

/// <summary>What a confirmation leaves on the platform: its process metadata and its three sealed letters.</summary>
public enum ConfirmationItem { Status, Request, Authorisation, Reply }

/// <summary>
/// Who can read what on the confirmation platform (issue 14 §6), derived from a replica's stored state after a run.
/// How each party reaches the ledger: the platform operator, the banks and the regulator run or are given a replica
/// (they hold the whole state: metadata and every ciphertext); audit firms and clients use the platform's gateway,
/// which serves a party only the confirmations it is named in. A read attempt takes the item from the state the
/// party reaches and opens it with the party's own key (<see cref="Reading.Attempt"/>).
/// </summary>
public static class ConfirmationPrivacy
{
    /// <summary>The matrix's rows: parties as they stand to one confirmation.</summary>
    public static readonly IReadOnlyList<string> Parties =
        ["auditor", "client", "bank", "other-auditor", "other-client", "other-bank", "operator", "regulator"];

    public static readonly IReadOnlyList<string> Items = [.. Enum.GetValues<ConfirmationItem>().Select(ItemName)];

    public const string MetricPrefix = ReadMatrix.MetricPrefix;

    public static string ItemName(ConfirmationItem i) => i switch
    {
        ConfirmationItem.Status => "status",
        ConfirmationItem.Request => "request",
        ConfirmationItem.Authorisation => "authorisation",
        _ => "reply",
    };

    /// <summary>Recipients of each letter: the request and the client's authorisation go to the firm, the client and the
    /// bank; the reply only to the firm and the bank (end to end); the regulator to all when it has supervisory access.</summary>
    public static IReadOnlyList<string> Recipients(ConfirmationItem item, string firm, string client, string bank, bool regulatorReads)
    {
        List<string> r = item == ConfirmationItem.Reply ? [firm, bank] : [firm, client, bank];
        if (regulatorReads) r.Add(ConfirmationBook.Regulator);
        return r;
    }

    /// <summary>The rules the platform promises (the words): what the ledger must give each party.</summary>
    public static ReadLevel Expected(string party, string item, bool regulatorReads) => (party, item) switch
    {
        ("auditor" or "bank", _) => ReadLevel.Read,
        ("regulator", _) => regulatorReads || item == "status" ? ReadLevel.Read : ReadLevel.HashOnly,
        ("client", "reply") => ReadLevel.HashOnly,
        ("client", _) => ReadLevel.Read,
        ("other-auditor" or "other-client", _) => ReadLevel.Nothing,
        (_, "status") => ReadLevel.Read,        // other banks and the operator hold the metadata
        _ => ReadLevel.HashOnly,                // ... and ciphertext they cannot open
    };

    /// <summary>
    /// Fills the matrix from <paramref name="replica"/> (one replica's state): for every confirmation on it, every party
    /// class (the firm, client and bank it names, and for the "other" rows the first institution of each kind it does
    /// not name) tries to read every item present.
    /// </summary>
    public static ReadMatrix Derive(Func<string, object?> replica, IEnumerable<string> confirmationIds, ConfirmationOptions o, Keyring keys)
    {
        var m = new ReadMatrix(Parties, Items);
        var firms = Enumerable.Range(0, o.AuditFirms).Select(ConfirmationBook.Firm).ToList();
        var clients = Enumerable.Range(0, o.Clients).Select(ConfirmationBook.Client).ToList();
        var banks = Enumerable.Range(0, o.Banks).Select(ConfirmationBook.Bank).ToList();
        foreach (var id in confirmationIds)
        {
            if (replica(ConfirmationContract.Key(id)) is not ConfirmationState c) continue;
            var who = new (string Row, string? Party)[]
            {
                ("auditor", c.Firm), ("client", c.Client), ("bank", c.Bank),
                ("other-auditor", firms.FirstOrDefault(f => f != c.Firm)), ("other-client", clients.FirstOrDefault(x => x != c.Client)),
                ("other-bank", banks.FirstOrDefault(b => b != c.Bank)), ("operator", ConfirmationBook.Operator), ("regulator", ConfirmationBook.Regulator),
            };
            foreach (var item in Enum.GetValues<ConfirmationItem>())
            {
                var key = item == ConfirmationItem.Status ? ConfirmationContract.Key(id) : ConfirmationContract.LetterKey(id, item);
                if (replica(key) is null) continue; // a step not taken: nothing to read for anyone
                foreach (var (row, party) in who)
                    if (party is not null) m.Record(row, ItemName(item), Reading.Attempt(View(replica, party, id)(key), keys.Of(party)));
            }
        }
        return m;
    }

    /// <summary>What <paramref name="party"/> reaches of confirmation <paramref name="id"/>: the whole replica for
    /// replica holders, the gateway's answer for firms and clients (their own confirmations only).</summary>
    public static Func<string, object?> View(Func<string, object?> replica, string party, string id)
    {
        if (HoldsReplica(party)) return replica;
        var named = replica(ConfirmationContract.Key(id)) is ConfirmationState c && c.Involves(party);
        return named ? replica : _ => null;
    }

    public static bool HoldsReplica(string party) =>
        party == ConfirmationBook.Operator || party == ConfirmationBook.Regulator || party.StartsWith(ConfirmationBook.BankPrefix, StringComparison.Ordinal);
}
