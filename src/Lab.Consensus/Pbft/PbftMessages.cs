using Lab.Consensus.Byzantine;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;

namespace Lab.Consensus.Pbft;

// Castro & Liskov, "Practical Byzantine Fault Tolerance" (OSDI'99) and TOCS'02, in protocol order.
// Sizes: a 64-byte signature plus the fields; batches carry their transactions (§4.2 piggybacks requests).

/// <summary>§4.2 pre-prepare: the primary assigns sequence number <paramref name="Seq"/> to a batch in view <paramref name="View"/>.</summary>
public sealed record PrePrepare(long View, long Seq, Hash Digest, Block Batch, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Proposal;
    public int SizeBytes => 48 + Signature.SizeBytes + Batch.SizeBytes;
}

/// <summary>§4.2 prepare: backup <paramref name="Replica"/> accepted the pre-prepare.</summary>
public sealed record Prepare(long View, long Seq, Hash Digest, int Replica, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Vote;
    public const int SizeBytes = 52 + Signature.SizeBytes;
}

/// <summary>§4.2 commit: <paramref name="Replica"/> has a prepared certificate.</summary>
public sealed record Commit(long View, long Seq, Hash Digest, int Replica, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Vote;
    public const int SizeBytes = 52 + Signature.SizeBytes;
}

/// <summary>§4.3 checkpoint: the state digest after executing <paramref name="Seq"/>.</summary>
public sealed record Checkpoint(long Seq, Hash State, int Replica, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Checkpoint;
    public const int SizeBytes = 44 + Signature.SizeBytes;
}

/// <summary>A prepared certificate (§4.4): the pre-prepare of view <paramref name="View"/> with 2f matching prepares.</summary>
public sealed record PreparedProof(long Seq, long View, Hash Digest, Block Batch)
{
    // The 2f prepares travel with it.
    public int SizeBytes(int f) => 48 + Batch.SizeBytes + 2 * f * Prepare.SizeBytes;
}

/// <summary>§4.4 view-change to <paramref name="NewView"/>: last stable checkpoint and the prepared certificates above it.</summary>
public sealed record ViewChange(long NewView, long StableSeq, Hash StableState, IReadOnlyList<PreparedProof> Prepared, int Replica, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.ViewChange;
    public int SizeBytes(int f) => 60 + Signature.SizeBytes + 2 * f * Checkpoint.SizeBytes + Prepared.Sum(p => p.SizeBytes(f));
}

/// <summary>§4.4 new-view: the 2f+1 view-changes <paramref name="Proof"/> and the pre-prepares <paramref name="Reissued"/> (the set O).</summary>
public sealed record NewView(long View, IReadOnlyList<ViewChange> Proof, IReadOnlyList<PrePrepare> Reissued, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.ViewChange;
    public int SizeBytes(int f) => 16 + Signature.SizeBytes + Proof.Sum(v => v.SizeBytes(f)) + Reissued.Sum(p => p.SizeBytes);
}

/// <summary>A new-view passed on by another replica to one that missed it (it is self-certifying: the
/// primary's signature and the 2f+1 view-changes inside).</summary>
public sealed record ForwardedNewView(NewView Inner, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.ViewChange;
    public int SizeBytes(int f) => 8 + Signature.SizeBytes + Inner.SizeBytes(f);
}

/// <summary>§4.3 state transfer: a replica behind a stable checkpoint asks for the batches it missed.</summary>
public sealed record StateRequest(long AfterSeq, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Transfer;
    public const int SizeBytes = 16 + Signature.SizeBytes;
}

/// <summary>Executed batches from <c>AfterSeq+1</c>; the receiver checks them against a stable checkpoint's digest.</summary>
public sealed record StateReply(IReadOnlyList<Block> Batches, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Transfer;
    public int SizeBytes => 16 + Signature.SizeBytes + Batches.Sum(b => b.SizeBytes);
}
