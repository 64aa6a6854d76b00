using Lab.Finance.Evidence;
using Lab.Finance.Privacy;
using Lab.Sim.Metrics;

namespace Lab.Finance.Confirmations;

/// <summary>
/// The banks' replies as evidence (issue 14 §5), through the generic <see cref="EvidenceContract"/>.
/// <para>What is stored: the reply call itself records the reply's evidence (<see cref="EvidenceContract.Record"/>, no
/// extra transaction and no extra bytes): the hash is the sealed letter's digest (SHA-256 of nonce, ciphertext and tag,
/// the digest the confirmation's metadata anchors anyway), the metadata the bank and the firm it answers. Every call on
/// the platform closes the open period once its first reply is in an earlier block
/// (<see cref="EvidenceContract.CloseIfDue"/>), so the firm's own acknowledgement anchors the root over its reply.</para>
/// <para>The off-chain original is the sealed reply as the firm files it in its working papers (<see cref="Original"/>):
/// the firm, the bank and (with supervisory access) the regulator open it with their own keys. Hashing the sealed
/// letter rather than its plain text keeps the ledger from carrying a hash of a low-entropy text (a balance can be
/// guessed and hashed until it matches); the cost is that the original is the ciphertext, not a readable page.</para>
/// <para>The check after the run: the audit firm (or a reviewer, or the regulator years later) holds only the anchored
/// root of each reply's period; a replica holder hands it the inclusion proof; it re-hashes the filed reply
/// (<see cref="EvidenceCheck"/>). Altered originals: for every request a fraudster targets (the run's tampered share)
/// two altered copies of the filed reply are put to the same check — the forgery re-sealed for the firm (balance ×10 + 1,
/// what a forger editing the working papers would put there) and the genuine letter with one ciphertext byte
/// flipped (a corrupted or crudely edited archive).</para>
/// <para>Less than reality: computing the Merkle root when a period closes is not charged as contract CPU (the
/// runtime's fixed cost per call stands for the whole call; the root over a period's few hundred leaves takes
/// microseconds), so timing is the same as before the replies were stored as evidence.</para>
/// </summary>
public static class ConfirmationEvidence
{
    public const string Kind = "confirmation-reply";
    public const string MetricPrefix = "reply_evidence";

    /// <summary>The evidence id of confirmation <paramref name="confirmation"/>'s reply.</summary>
    public static string Id(string confirmation) => confirmation + "/reply";

    /// <summary>What the reply call stores: the sealed letter's digest, and who answered whom (never the content).</summary>
    public static EvidenceItem Item(string confirmation, SealedPayload letter, string bank, string firm) =>
        new(Id(confirmation), letter.Digest, Kind, $"{bank} to {firm}");

    /// <summary>The sealed reply's bytes as filed (nonce, ciphertext, tag): they hash to <see cref="SealedPayload.Digest"/>.</summary>
    public static byte[] Original(SealedPayload letter) => [.. letter.Nonce, .. letter.Ciphertext, .. letter.Tag];

    /// <summary>The filed reply with one ciphertext byte flipped (the middle one).</summary>
    public static byte[] Flipped(SealedPayload letter)
    {
        var bytes = Original(letter);
        bytes[letter.Nonce.Length + letter.Ciphertext.Length / 2] ^= 0x01;
        return bytes;
    }

    /// <summary>
    /// The end-of-run check: every reply a firm filed is checked against the root of its anchored period; for each
    /// request a fraudster targets, the two altered copies of its filed reply are put to the same check.
    /// </summary>
    public static EvidenceTally Measure(Func<string, object?> replica, ConfirmationSetup setup, IReadOnlyDictionary<int, ConfirmationRecord> records)
    {
        var tally = new EvidenceTally();
        foreach (var r in setup.Book.Requests)
        {
            if (!records.TryGetValue(r.Index, out var rec) || rec.Filed is not { } filed) continue; // blocked or not answered by the end
            var id = Id(r.Id);
            tally.Genuine(replica, id, Original(filed));
            if (!r.Tampered) continue;
            var forged = setup.Seal(ConfirmationBook.ForgedText(r, setup.Options.ContentBytes), ConfirmationItem.Reply, r, "forged");
            tally.Altered(replica, id, Original(forged));
            tally.Altered(replica, id, Flipped(filed));
        }
        return tally;
    }

    public static IEnumerable<(string Name, string Description)> Descriptions =>
        EvidenceTally.Describe(MetricPrefix, "the audit firms' filed replies (sealed letters)").Select(d => d.Name.EndsWith("_tampered_checked", StringComparison.Ordinal)
            ? (d.Name, d.Description + " (two per request a fraudster targets: the forgery re-sealed, one ciphertext byte flipped)")
            : d);

    public static void Write(EvidenceTally tally, RunMetrics m) => tally.Write(m, MetricPrefix);
}
