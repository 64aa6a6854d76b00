using Lab.Finance.Evidence;
using Lab.Finance.Privacy;
using Lab.Ledger.Contracts;
using Lab.Ledger.Crypto;

namespace Lab.Finance.Confirmations;

public sealed record ConfirmationRequest(string Id, string Client, string Bank, SealedPayload Letter);
public sealed record ClientAuthorisation(string Id, SealedPayload Letter);
public sealed record BankReply(string Id, SealedPayload Letter);
public sealed record ReplyReceipt(string Id, Hash Digest);

public enum ConfirmationStatus { Requested, Authorised, Replied, Received }

/// <summary>
/// A confirmation's process metadata, public on every replica: who asked whom about which client, how far it got
/// (heights), and the digests of the sealed letters — never their content.
/// </summary>
public sealed record ConfirmationState(string Firm, string Client, string Bank, ConfirmationStatus Status,
    long RequestedAt, long AuthorisedAt, long RepliedAt, long ReceivedAt, Hash RequestDigest, Hash AuthorisationDigest, Hash ReplyDigest)
{
    public bool Involves(string party) => party == Firm || party == Client || party == Bank;
}

/// <summary>
/// The confirmation platform's contract (the China Banking Association's platform, SCENARIOS.md §5). An audit firm
/// requests a confirmation from a bank about its client; only that client can authorise it; only the named bank can
/// reply, and only after the authorisation; the requesting firm acknowledges receipt by the digest of the reply it
/// got, which must match the digest the bank anchored — a substituted or altered reply is refused as tampered. Each
/// letter is a <see cref="SealedPayload"/> (content encrypted for its recipients); replicas store the ciphertext and
/// metadata. Confirmations move no value: there is no asset to conserve, and the contract's own invariant
/// (<see cref="Audit"/>) is that status and heights follow the process order.
/// <para>Evidence (issue 14 §5): the reply call also stores the reply in the generic evidence contract's open period
/// (<see cref="ConfirmationEvidence"/>), and every call first closes that period once it is due
/// (<see cref="EvidenceContract.CloseIfDue"/>), fixing the Merkle root a party holding only the root checks later.</para>
/// </summary>
public sealed class ConfirmationContract : IContract
{
    public const string ContractName = "confirmations";
    public const string AuditorRole = "auditor";
    public const string ClientRole = "client";
    public const string BankRole = "bank";
    public string Name => ContractName;

    public const string Prefix = "confirmation/";
    public static string Key(string id) => Prefix + id;
    public static string LetterKey(string id, ConfirmationItem item) => $"{Prefix}{id}/{ConfirmationPrivacy.ItemName(item)}";

    public static ContractCall Request(ConfirmationRequest r) => new(ContractName, "request", r);
    public static ContractCall Authorise(ClientAuthorisation a) => new(ContractName, "authorise", a);
    public static ContractCall Reply(BankReply r) => new(ContractName, "reply", r);
    public static ContractCall Receive(ReplyReceipt r) => new(ContractName, "receive", r);

    public void Execute(ContractContext ctx, string method, object? arguments)
    {
        EvidenceContract.CloseIfDue(ctx); // any step anchors the replies stored in earlier blocks (discarded if the call fails)
        switch (method, arguments)
        {
            case ("request", ConfirmationRequest r):
                ctx.RequireRole(AuditorRole);
                if (ctx.Get(Key(r.Id)) is not null) { ctx.Decline($"confirmation {r.Id} exists"); return; }
                if (!ctx.IsMember(r.Client)) { ctx.Decline($"{r.Client} is not on the platform"); return; }
                if (!ctx.IsMember(r.Bank)) { ctx.Decline($"{r.Bank} is not on the platform"); return; }
                ctx.Put(Key(r.Id), new ConfirmationState(ctx.Caller, r.Client, r.Bank, ConfirmationStatus.Requested, ctx.Height, 0, 0, 0, r.Letter.Digest, Hash.Zero, Hash.Zero));
                ctx.Put(LetterKey(r.Id, ConfirmationItem.Request), r.Letter);
                break;
            case ("authorise", ClientAuthorisation a):
            {
                ctx.RequireRole(ClientRole);
                var c = ctx.Get<ConfirmationState>(Key(a.Id));
                if (c is null) { ctx.Decline($"no confirmation {a.Id}"); return; }
                if (c.Client != ctx.Caller) ctx.Unauthorised($"{ctx.Caller} authorises confirmation {a.Id} of client {c.Client}");
                if (c.Status != ConfirmationStatus.Requested) { ctx.Decline($"confirmation {a.Id} is already {Word(c.Status)}"); return; }
                ctx.Put(Key(a.Id), c with { Status = ConfirmationStatus.Authorised, AuthorisedAt = ctx.Height, AuthorisationDigest = a.Letter.Digest });
                ctx.Put(LetterKey(a.Id, ConfirmationItem.Authorisation), a.Letter);
                break;
            }
            case ("reply", BankReply r):
            {
                ctx.RequireRole(BankRole);
                var c = ctx.Get<ConfirmationState>(Key(r.Id));
                if (c is null) { ctx.Decline($"no confirmation {r.Id}"); return; }
                if (c.Bank != ctx.Caller) ctx.Unauthorised($"{ctx.Caller} replies to confirmation {r.Id} addressed to {c.Bank}");
                if (c.Status == ConfirmationStatus.Requested) { ctx.Decline($"reply blocked: client {c.Client} has not authorised confirmation {r.Id}"); return; }
                if (c.Status != ConfirmationStatus.Authorised) { ctx.Decline($"confirmation {r.Id} is already {Word(c.Status)}"); return; }
                if (!EvidenceContract.Record(ctx, ConfirmationEvidence.Item(r.Id, r.Letter, c.Bank, c.Firm))) return;
                ctx.Put(Key(r.Id), c with { Status = ConfirmationStatus.Replied, RepliedAt = ctx.Height, ReplyDigest = r.Letter.Digest });
                ctx.Put(LetterKey(r.Id, ConfirmationItem.Reply), r.Letter);
                break;
            }
            case ("receive", ReplyReceipt r):
            {
                ctx.RequireRole(AuditorRole);
                var c = ctx.Get<ConfirmationState>(Key(r.Id));
                if (c is null) { ctx.Decline($"no confirmation {r.Id}"); return; }
                if (c.Firm != ctx.Caller) ctx.Unauthorised($"{ctx.Caller} receives confirmation {r.Id} requested by {c.Firm}");
                if (c.Status != ConfirmationStatus.Replied) { ctx.Decline($"confirmation {r.Id} is {Word(c.Status)}, not replied"); return; }
                if (r.Digest != c.ReplyDigest) { ctx.Decline($"tampered reply: its digest does not match the reply {c.Bank} anchored at height {c.RepliedAt}"); return; }
                ctx.Put(Key(r.Id), c with { Status = ConfirmationStatus.Received, ReceivedAt = ctx.Height });
                break;
            }
            default:
                ctx.Reject($"confirmations has no method '{method}' taking {arguments?.GetType().Name ?? "nothing"}");
                break;
        }
    }

    private static string Word(ConfirmationStatus s) => s.ToString().ToLowerInvariant();

    /// <summary>
    /// A confirmation's invariants, from state alone: each stored letter's digest is the one the metadata anchors, a
    /// reply's evidence entry holds that digest and names the bank as its recorder, and the steps happened in order (authorised after requested, replied after authorised, received after replied).
    /// Returns what is wrong, or null.
    /// </summary>
    public static string? Audit(Func<string, object?> get, string id)
    {
        if (get(Key(id)) is not ConfirmationState c) return null;
        foreach (var (item, digest, present) in new[]
                 {
                     (ConfirmationItem.Request, c.RequestDigest, true),
                     (ConfirmationItem.Authorisation, c.AuthorisationDigest, c.Status >= ConfirmationStatus.Authorised),
                     (ConfirmationItem.Reply, c.ReplyDigest, c.Status >= ConfirmationStatus.Replied),
                 })
        {
            var letter = get(LetterKey(id, item)) as SealedPayload;
            if (present != letter is not null) return $"confirmation {id}: {ConfirmationPrivacy.ItemName(item)} {(present ? "missing" : "stored before its step")}";
            if (letter is not null && letter.Digest != digest) return $"confirmation {id}: stored {ConfirmationPrivacy.ItemName(item)} does not match its anchored digest";
        }
        if (c.Status >= ConfirmationStatus.Replied)
        {
            if (get(EvidenceContract.EntryKey(ConfirmationEvidence.Id(id))) is not EvidenceEntry e) return $"confirmation {id}: reply not stored as evidence";
            if (e.Hash != c.ReplyDigest || e.StoredBy != c.Bank) return $"confirmation {id}: the reply's evidence does not match its anchored digest and bank";
        }
        var ordered = c.Status switch
        {
            ConfirmationStatus.Requested => true,
            ConfirmationStatus.Authorised => c.AuthorisedAt >= c.RequestedAt,
            ConfirmationStatus.Replied => c.AuthorisedAt >= c.RequestedAt && c.RepliedAt >= c.AuthorisedAt,
            _ => c.AuthorisedAt >= c.RequestedAt && c.RepliedAt >= c.AuthorisedAt && c.ReceivedAt >= c.RepliedAt,
        };
        return ordered ? null : $"confirmation {id}: steps out of order";
    }
}
