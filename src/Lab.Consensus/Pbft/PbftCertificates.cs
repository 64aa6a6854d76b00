using Lab.Consensus.Byzantine;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Pbft;

/// <summary>
/// Checks PBFT's certificates as a receiver must (Castro &amp; Liskov, TOCS'02 §4.3–4.4): every
/// signature inside verifies for exactly the (view, sequence number, digest) the certificate claims,
/// from distinct members of the committee, in the paper's numbers (prepared: the primary's pre-prepare
/// and 2f prepares from backups; stable checkpoint and V: 2f+1). Each check charges the receiver's CPU
/// one verification per signature it looked at and the hashing of every batch digest it recomputed.
/// </summary>
public sealed class PbftCertificates(BftCommittee committee, Authenticator auth, AuthenticationCosts costs, int watermarkWindow)
{
    private int N => committee.N;
    private int Quorum => committee.Quorum;
    private int Primary(long view) => (int)(view % committee.N);

    /// <summary>A null request (§4.4): fills a sequence number for which V holds no prepared certificate.</summary>
    public static Block NullBatch(long seq) => new(seq, Hash.Zero, [], "null");

    /// <summary>§4.4 prepared certificate: the pre-prepare of the view's primary and 2f matching prepares from distinct backups.</summary>
    public bool Prepared(INodeContext ctx, PreparedCertificate c)
    {
        var work = new Work();
        var ok = Prepared(c, ref work);
        work.Charge(ctx, costs);
        return ok;
    }

    /// <summary>§4.3 stable-checkpoint certificate: 2f+1 matching checkpoint messages from distinct replicas (none for sequence 0).</summary>
    public bool Stable(INodeContext ctx, CheckpointCertificate c)
    {
        var work = new Work();
        var ok = Stable(c, ref work);
        work.Charge(ctx, costs);
        return ok;
    }

    /// <summary>
    /// §4.4: a view-change is valid if its checkpoint certificate holds and every prepared certificate
    /// holds, for a distinct sequence number in (h, h+L] and a view before the one asked for.
    /// (The view-change's own signature is the transport's to check.)
    /// </summary>
    public bool ViewChange(INodeContext ctx, ViewChange vc)
    {
        var work = new Work();
        var ok = ViewChange(vc, ref work);
        work.Charge(ctx, costs);
        return ok;
    }

    /// <summary>
    /// §4.4 new-view: signed by the new view's primary; V holds 2f+1 valid view-changes for this view
    /// from distinct replicas; O is exactly what V implies (recomputed here, not trusted), each entry
    /// signed by the primary. <paramref name="known"/>: view-changes this replica already verified
    /// (not checked again). <paramref name="signatureChecked"/>: the primary's signature was verified
    /// on receipt.
    /// </summary>
    public bool NewView(INodeContext ctx, NewView nv, Func<ViewChange, bool> known, bool signatureChecked)
    {
        var work = new Work();
        var ok = NewView(nv, known, signatureChecked, ref work);
        work.Charge(ctx, costs);
        return ok;
    }

    /// <summary>
    /// §4.4 the set O, computed from V: min-s is the latest stable checkpoint in V, max-s the highest
    /// sequence number with a prepared certificate in V; every number between gets the batch of its
    /// certificate with the highest view, or a null request. So a request prepared in an earlier view
    /// keeps its number (the certificates in V were checked before this is called).
    /// </summary>
    public static List<Block> Reissue(IReadOnlyList<ViewChange> v)
    {
        var minS = v.Max(x => x.Stable.Seq);
        var best = new SortedDictionary<long, PreparedCertificate>();
        foreach (var c in v.SelectMany(x => x.Prepared))
            if (c.Seq > minS && (!best.TryGetValue(c.Seq, out var b) || c.View > b.View)) best[c.Seq] = c;
        var maxS = best.Count == 0 ? minS : best.Keys.Last();
        var o = new List<Block>();
        for (var n = minS + 1; n <= maxS; n++) o.Add(best.TryGetValue(n, out var c) ? c.Batch : NullBatch(n));
        return o;
    }

    private bool Prepared(PreparedCertificate c, ref Work work)
    {
        var pp = c.PrePrepare;
        if (pp.Sig.Signer != Primary(pp.View) || c.Prepares.Count < Quorum - 1 || pp.Batch.Height != pp.Seq) return false;
        work.Hashed += pp.Batch.SizeBytes;
        if (pp.Batch.Hash != pp.Digest) return false;
        var signers = new VoteSet();
        foreach (var p in c.Prepares)
            if (p.View != pp.View || p.Seq != pp.Seq || p.Digest != pp.Digest
                || p.Replica != p.Sig.Signer || p.Replica == pp.Sig.Signer || !signers.Add(p.Replica))
                return false;
        if (!Verify(pp, ref work)) return false;
        foreach (var p in c.Prepares)
            if (!Verify(p, ref work)) return false;
        return true;
    }

    private bool Stable(CheckpointCertificate c, ref Work work)
    {
        if (c.Seq == 0) return c.State == Hash.Zero;
        if (c.Checkpoints.Count < Quorum) return false;
        var signers = new VoteSet();
        foreach (var cp in c.Checkpoints)
            if (cp.Seq != c.Seq || cp.State != c.State || cp.Replica != cp.Sig.Signer || !signers.Add(cp.Replica))
                return false;
        foreach (var cp in c.Checkpoints)
            if (!Verify(cp, ref work)) return false;
        return true;
    }

    private bool ViewChange(ViewChange vc, ref Work work)
    {
        if (!Stable(vc.Stable, ref work)) return false;
        var seqs = new HashSet<long>();
        foreach (var c in vc.Prepared)
        {
            if (c.Seq <= vc.Stable.Seq || c.Seq > vc.Stable.Seq + watermarkWindow || c.View >= vc.NewView || !seqs.Add(c.Seq)) return false;
            if (!Prepared(c, ref work)) return false;
        }
        return true;
    }

    private bool NewView(NewView nv, Func<ViewChange, bool> known, bool signatureChecked, ref Work work)
    {
        if (nv.Sig.Signer != Primary(nv.View)) return false;
        if (!signatureChecked && !Verify(nv, ref work)) return false;
        if (nv.Proof.Count < Quorum) return false;
        var senders = new VoteSet();
        foreach (var vc in nv.Proof)
            if (vc.NewView != nv.View || vc.Replica != vc.Sig.Signer || !senders.Add(vc.Replica)) return false;
        foreach (var vc in nv.Proof)
        {
            if (known(vc)) continue;
            if (!Verify(vc, ref work) || !ViewChange(vc, ref work)) return false;
        }
        var expected = Reissue(nv.Proof);
        if (expected.Count != nv.Reissued.Count) return false;
        for (int i = 0; i < expected.Count; i++)
        {
            var pp = nv.Reissued[i];
            if (pp.View != nv.View || pp.Seq != expected[i].Height || pp.Digest != expected[i].Hash || pp.Sig.Signer != nv.Sig.Signer) return false;
            // The batch inside must be the one the digest names (certified batches were hashed when their certificate was checked).
            if (!ReferenceEquals(pp.Batch, expected[i])) { work.Hashed += pp.Batch.SizeBytes; if (pp.Batch.Hash != pp.Digest) return false; }
            if (!Verify(pp, ref work)) return false;
        }
        return true;
    }

    private bool Verify(IBftMessage m, ref Work work)
    {
        work.Signatures++;
        return auth.Verify(m.Sig, m.Statement, N);
    }

    /// <summary>What a check cost: signatures verified and bytes hashed.</summary>
    private struct Work
    {
        public int Signatures;
        public long Hashed;

        public readonly void Charge(INodeContext ctx, AuthenticationCosts costs)
        {
            var cpu = costs.Verify * Signatures + costs.Hash((int)Math.Min(int.MaxValue, Hashed));
            if (cpu.Nanos > 0) ctx.ChargeCpu(cpu);
        }
    }
}
