using Lab.Consensus.Byzantine;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;

namespace Lab.Consensus.Pbft;

// Castro & Liskov, "Practical Byzantine Fault Tolerance" (OSDI'99) and TOCS'02, in protocol order.
// Each message is signed (§4: the version of the algorithm with signatures) over its Statement.
// Sizes: a 64-byte signature plus the fields; batches carry their transactions (§4.2 piggybacks
// requests); a certificate counts every message it carries.

/// <summary>§4.2 pre-prepare: the primary assigns sequence number <paramref name="Seq"/> to a batch in view <paramref name="View"/>.</summary>
public sealed record PrePrepare(long View, long Seq, Hash Digest, Block Batch, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Proposal;
    public Statement Statement => For(View, Seq, Digest);
    public static Statement For(long view, long seq, Hash digest) => new(StatementKind.PbftPrePrepare, view, seq, digest);
    public int SizeBytes => 48 + Signature.SizeBytes + Batch.SizeBytes;
}

/// <summary>§4.2 prepare: backup <paramref name="Replica"/> accepted the pre-prepare.</summary>
public sealed record Prepare(long View, long Seq, Hash Digest, int Replica, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Vote;
    public Statement Statement => For(View, Seq, Digest);
    public static Statement For(long view, long seq, Hash digest) => new(StatementKind.PbftPrepare, view, seq, digest);
    public const int SizeBytes = 52 + Signature.SizeBytes;
}

/// <summary>§4.2 commit: <paramref name="Replica"/> has a prepared certificate.</summary>
public sealed record Commit(long View, long Seq, Hash Digest, int Replica, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Vote;
    public Statement Statement => For(View, Seq, Digest);
    public static Statement For(long view, long seq, Hash digest) => new(StatementKind.PbftCommit, view, seq, digest);
    public const int SizeBytes = 52 + Signature.SizeBytes;
}

/// <summary>§4.3 checkpoint: the state digest after executing <paramref name="Seq"/>.</summary>
public sealed record Checkpoint(long Seq, Hash State, int Replica, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Checkpoint;
    public Statement Statement => For(Seq, State);
    public static Statement For(long seq, Hash state) => new(StatementKind.PbftCheckpoint, 0, seq, state);
    public const int SizeBytes = 44 + Signature.SizeBytes;
}

/// <summary>
/// §4.4 prepared certificate (a set P_m): the pre-prepare that assigned <see cref="Seq"/> in
/// <see cref="View"/> and 2f prepares matching it from distinct backups. The batch travels inside the
/// pre-prepare, so a new primary can re-issue it.
/// </summary>
public sealed record PreparedCertificate(PrePrepare PrePrepare, IReadOnlyList<Prepare> Prepares)
{
    public long Seq => PrePrepare.Seq;
    public long View => PrePrepare.View;
    public Hash Digest => PrePrepare.Digest;
    public Block Batch => PrePrepare.Batch;
    public int SizeBytes => PrePrepare.SizeBytes + Prepares.Count * Prepare.SizeBytes;
}

/// <summary>
/// §4.3 stable-checkpoint certificate (the set C): 2f+1 checkpoint messages from distinct replicas
/// for the same sequence number and state digest. The initial state (sequence 0) needs none.
/// </summary>
public sealed record CheckpointCertificate(long Seq, Hash State, IReadOnlyList<Checkpoint> Checkpoints)
{
    public static CheckpointCertificate Genesis { get; } = new(0, Hash.Zero, []);
    public int SizeBytes => 40 + Checkpoints.Count * Checkpoint.SizeBytes;
}

/// <summary>
/// §4.4 view-change to <paramref name="NewView"/>: the last stable checkpoint with its proof, and a
/// prepared certificate for every request that prepared above it. The signature covers the checkpoint
/// and every certificate's (sequence, view, digest), so nobody can strip a certificate on the way.
/// </summary>
public sealed record ViewChange(long NewView, CheckpointCertificate Stable, IReadOnlyList<PreparedCertificate> Prepared, int Replica, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.ViewChange;
    public Statement Statement => For(NewView, Stable, Prepared);

    public static Statement For(long newView, CheckpointCertificate stable, IReadOnlyList<PreparedCertificate> prepared)
    {
        var d = new ContentDigest().Add(stable.State).Add(prepared.Count);
        foreach (var p in prepared) d.Add(p.Seq).Add(p.View).Add(p.Digest);
        return new(StatementKind.PbftViewChange, newView, stable.Seq, d.ToHash());
    }

    public int SizeBytes => 20 + Signature.SizeBytes + Stable.SizeBytes + Prepared.Sum(p => p.SizeBytes);
}

/// <summary>§4.4 new-view: the 2f+1 view-changes <paramref name="Proof"/> (the set V) and the pre-prepares
/// <paramref name="Reissued"/> (the set O, each signed by the new primary).</summary>
public sealed record NewView(long View, IReadOnlyList<ViewChange> Proof, IReadOnlyList<PrePrepare> Reissued, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.ViewChange;
    public Statement Statement => For(View, Proof, Reissued);

    public static Statement For(long view, IReadOnlyList<ViewChange> proof, IReadOnlyList<PrePrepare> reissued)
    {
        var d = new ContentDigest().Add(proof.Count);
        foreach (var v in proof) d.Add(v.Replica).Add(v.Statement.Digest);
        d.Add(reissued.Count);
        foreach (var p in reissued) d.Add(p.Seq).Add(p.Digest);
        return new(StatementKind.PbftNewView, view, 0, d.ToHash());
    }

    public int SizeBytes => 16 + Signature.SizeBytes + Proof.Sum(v => v.SizeBytes) + Reissued.Sum(p => p.SizeBytes);
}

/// <summary>A new-view passed on by another replica to one that missed it (it is self-certifying: the
/// primary's signature and the 2f+1 view-changes inside).</summary>
public sealed record ForwardedNewView(NewView Inner, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.ViewChange;
    public Statement Statement => For(Inner.View);
    public static Statement For(long view) => new(StatementKind.PbftForward, view, 0, Hash.Zero);
    public int SizeBytes => 8 + Signature.SizeBytes + Inner.SizeBytes;
}

/// <summary>§4.3 state transfer: a replica behind a stable checkpoint asks for the batches it missed.</summary>
public sealed record StateRequest(long AfterSeq, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Transfer;
    public Statement Statement => For(AfterSeq);
    public static Statement For(long afterSeq) => new(StatementKind.PbftStateRequest, 0, afterSeq, Hash.Zero);
    public const int SizeBytes = 16 + Signature.SizeBytes;
}

/// <summary>Executed batches from <c>AfterSeq+1</c>; the receiver checks them against a stable checkpoint's digest.</summary>
public sealed record StateReply(IReadOnlyList<Block> Batches, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Transfer;
    public Statement Statement => For(Batches);

    public static Statement For(IReadOnlyList<Block> batches)
    {
        var d = new ContentDigest();
        foreach (var b in batches) d.Add(b.Hash);
        return new(StatementKind.PbftStateReply, 0, batches.Count, d.ToHash());
    }

    public int SizeBytes => 16 + Signature.SizeBytes + Batches.Sum(b => b.SizeBytes);
}
