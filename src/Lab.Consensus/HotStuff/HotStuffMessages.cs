using System.Buffers.Binary;
using Lab.Consensus.Byzantine;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;

namespace Lab.Consensus.HotStuff;

// Yin, Malkhi, Reiter, Gueta, Abraham, "HotStuff: BFT Consensus with Linearity and Responsiveness"
// (PODC'19), chained HotStuff (Algorithm 3) with a view-based pacemaker (§6; timeouts as in
// LibraBFT/Jolteon). Sizes: 64-byte signatures; a QC is one aggregate signature plus a signer bitmap.

/// <summary>
/// A quorum certificate: n−f votes for <paramref name="Node"/> in <paramref name="View"/>, modelled as
/// one aggregate object (verifying it costs one aggregate verification, not n−f).
/// </summary>
public sealed record QuorumCert(long View, Hash Node, long Height, bool Valid = true)
{
    public int SizeBytes(int n) => 56 + Signature.SizeBytes + (n + 7) / 8;
}

/// <summary>
/// A tree node (§4 "node"): a ledger block (its <c>Previous</c> is the parent node's id) proposed in
/// <paramref name="View"/>, carrying <paramref name="Justify"/>, the highest QC its leader knew.
/// </summary>
public sealed record HsNode(Block Block, long View, QuorumCert Justify)
{
    private Hash? _id;

    /// <summary>SHA-256 of the block hash and the view: two proposals in two views are two nodes.</summary>
    public Hash Id => _id ??= ComputeId();
    public Hash Parent => Block.Previous;
    public long Height => Block.Height;

    private Hash ComputeId()
    {
        Span<byte> buf = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buf, View);
        return Hash.Combine(Block.Hash, Hash.Of(buf));
    }

    public static HsNode Genesis { get; } = new(Block.Genesis, 0, new QuorumCert(0, Hash.Zero, 0));
    public static QuorumCert GenesisQc { get; } = new(0, Genesis.Id, 0);
}

/// <summary>2f+1 new-view (timeout) messages for one view: proof that the view is over, with the highest QC among them.</summary>
public sealed record TimeoutCert(long View, QuorumCert HighQc)
{
    public int SizeBytes(int n) => 16 + Signature.SizeBytes + (n + 7) / 8 + HighQc.SizeBytes(n);
}

/// <summary>Algorithm 3 onPropose: the leader of <c>Node.View</c> broadcasts its new leaf (with a TC after a timeout).</summary>
public sealed record Proposal(HsNode Node, TimeoutCert? Tc, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Proposal;
    public int SizeBytes(int n) => 24 + Signature.SizeBytes + Node.Block.SizeBytes + Node.Justify.SizeBytes(n) + (Tc?.SizeBytes(n) ?? 0);
}

/// <summary>A vote (partial signature) for a node, sent to the next view's leader.</summary>
public sealed record Vote(long View, Hash Node, long Height, int Replica, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Vote;
    public const int SizeBytes = 60 + Signature.SizeBytes;
}

/// <summary>
/// Pacemaker (§6): replica <paramref name="Replica"/> gave up on <paramref name="View"/> and reports its
/// highest QC. Broadcast (not only to the next leader) so every replica can assemble the timeout
/// certificate and views resynchronise after a partition.
/// </summary>
public sealed record NewView(long View, QuorumCert HighQc, int Replica, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.ViewChange;
    public int SizeBytes(int n) => 16 + Signature.SizeBytes + HighQc.SizeBytes(n);
}

/// <summary>
/// Helps a replica that is behind (it sent a new-view for a view already over): the latest timeout
/// certificate and highest QC this replica knows, as DiemBFT's SyncInfo.
/// </summary>
public sealed record SyncInfo(TimeoutCert? Tc, QuorumCert HighQc, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.ViewChange;
    public int SizeBytes(int n) => 8 + Signature.SizeBytes + HighQc.SizeBytes(n) + (Tc?.SizeBytes(n) ?? 0);
}

/// <summary>Asks for a node (and its ancestors above <paramref name="AboveHeight"/>) that this replica missed.</summary>
public sealed record BlockRequest(Hash Node, long AboveHeight, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Transfer;
    public const int SizeBytes = 48 + Signature.SizeBytes;
}

/// <summary>The requested node first, then its ancestors, newest to oldest.</summary>
public sealed record BlockReply(IReadOnlyList<HsNode> Nodes, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Transfer;
    public int SizeBytes(int n) => 16 + Signature.SizeBytes + Nodes.Sum(x => x.Block.SizeBytes + x.Justify.SizeBytes(n));
}
