using Lab.Ledger.Crypto;
using Lab.Sim.Metrics;

namespace Lab.Finance.Evidence;

/// <summary>What a check of an off-chain original against the ledger's evidence found.</summary>
public enum EvidenceOutcome
{
    /// <summary>The original hashes to a leaf that its inclusion proof shows under the anchored root.</summary>
    Authentic,
    /// <summary>The proof and root exist but the original does not match: it was altered after it was stored.</summary>
    Tampered,
    /// <summary>The hash is stored but its period was not anchored yet (no root to check against).</summary>
    Unanchored,
    /// <summary>Nothing was stored under the id.</summary>
    Missing,
}

/// <summary>
/// A later check of an off-chain original (issue 14 §5), as two parties make it: the holder of a ledger replica hands
/// out the inclusion proof (<see cref="EvidenceProofs.Prove"/>); the checker holds only the anchored root of the
/// proof's period and re-hashes the original it was given (<see cref="EvidenceVerifier"/>). Used by the scenarios that
/// check evidence at the end of a run (bank-confirmation replies, warehouse-receipt documents); insurance checks each
/// visit record as it arrives with the same proof and verifier.
/// </summary>
public static class EvidenceCheck
{
    public static EvidenceOutcome Check(Func<string, object?> ledger, string id, ReadOnlySpan<byte> original)
    {
        if (ledger(EvidenceContract.EntryKey(id)) is not EvidenceEntry) return EvidenceOutcome.Missing;
        if (EvidenceProofs.Prove(ledger, id) is not { } proof || EvidenceProofs.Root(ledger, proof.Period) is not { } root) return EvidenceOutcome.Unanchored;
        var verifier = new EvidenceVerifier(root.Root); // the checker keeps the root alone
        return verifier.Authentic(original, proof.Proof) ? EvidenceOutcome.Authentic : EvidenceOutcome.Tampered;
    }
}

/// <summary>
/// The evidence figures of a run: genuine originals checked against their anchored roots, and altered copies put to
/// the same check. <see cref="Write"/> sets <c>&lt;prefix&gt;_verified</c>, <c>_failed</c> (genuine originals that did
/// not verify: must be 0), <c>_unanchored</c>, <c>_tampered_checked</c> and <c>_tampered_detected</c>.
/// </summary>
public sealed class EvidenceTally
{
    public long Verified { get; private set; }
    public long Failed { get; private set; }
    public long Unanchored { get; private set; }
    public long TamperedChecked { get; private set; }
    public long TamperedDetected { get; private set; }
    public List<string> Findings { get; } = [];

    /// <summary>Checks a genuine original: it must verify.</summary>
    public void Genuine(Func<string, object?> ledger, string id, ReadOnlySpan<byte> original)
    {
        switch (EvidenceCheck.Check(ledger, id, original))
        {
            case EvidenceOutcome.Authentic: Verified++; break;
            case EvidenceOutcome.Unanchored: Unanchored++; break;
            case var o:
                Failed++;
                if (Findings.Count < 10) Findings.Add($"evidence {id}: the genuine original is {o.ToString().ToLowerInvariant()}");
                break;
        }
    }

    /// <summary>Checks an altered copy: detected unless it verifies (an unanchored or missing id is not counted).</summary>
    public void Altered(Func<string, object?> ledger, string id, ReadOnlySpan<byte> copy)
    {
        var o = EvidenceCheck.Check(ledger, id, copy);
        if (o is EvidenceOutcome.Unanchored or EvidenceOutcome.Missing) return;
        TamperedChecked++;
        if (o == EvidenceOutcome.Tampered) TamperedDetected++;
    }

    public static IEnumerable<(string Name, string Description)> Describe(string prefix, string originals) =>
    [
        ($"{prefix}_verified", $"on chain: {originals} a party holding only the anchored Merkle root checked at the end of the run and found authentic (hash + inclusion proof)"),
        ($"{prefix}_failed", $"on chain: {originals} that failed that check (must be 0)"),
        ($"{prefix}_unanchored", $"on chain: {originals} whose hash was stored but not yet anchored at the end of the run"),
        ($"{prefix}_tampered_checked", $"on chain: altered copies of {originals} put to the same check"),
        ($"{prefix}_tampered_detected", "on chain: altered copies the check rejected (must equal the checked ones)"),
    ];

    public void Write(RunMetrics m, string prefix)
    {
        m.Scalars[prefix + "_verified"] = Verified;
        m.Scalars[prefix + "_failed"] = Failed;
        m.Scalars[prefix + "_unanchored"] = Unanchored;
        m.Scalars[prefix + "_tampered_checked"] = TamperedChecked;
        m.Scalars[prefix + "_tampered_detected"] = TamperedDetected;
    }
}
