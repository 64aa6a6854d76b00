using System.Buffers.Binary;
using Lab.Consensus.Byzantine;
using Lab.Ledger.Blocks;
using Lab.Ledger.Crypto;

namespace Lab.Consensus.HotStuff;

// Yin, Malkhi, Reiter, Gueta, Abraham, "HotStuff: BFT Consensus with Linearity and Responsiveness"
// (PODC'19), chained HotStuff (Algorithm 3) with a view-based pacemaker (§6; timeouts as in
// LibraBFT/Jolteon). Every message is signed over its Statement. Sizes: 64-byte signatures; a QC is
// one aggregate signature plus a signer bitmap (a BLS-style multi-signature); with real ECDSA keys,
// which do not aggregate, a certificate carries each signer's 64-byte signature instead.

/// <summary>
/// A quorum certificate: the votes of n−f distinct replicas for (<paramref name="View"/>,
/// <paramref name="Height"/>, <paramref name="Node"/>). It carries the signer set and each signer's vote
/// signature (<paramref name="Votes"/>, in replica order), checked against the committee and the signed
/// value; verifying it costs one aggregate verification, not n−f. The genesis QC has no votes.
/// </summary>
public sealed record QuorumCert(long View, Hash Node, long Height, IReadOnlyList<Signature> Votes)
{
    /// <summary>The value each vote in it signed.</summary>
    public Statement Statement => Vote.For(View, Height, Node);
    public bool IsGenesis => View == 0 && Height == 0 && Votes.Count == 0 && Node == HsNode.Genesis.Id;
    public int SizeBytes(int n) => 56 + (n + 7) / 8 + SignatureBytes(Votes.Count, Votes.Count > 0 && Votes[0].Ecdsa is not null);

    /// <summary>One aggregate signature (modelled), or every signature (real ECDSA).</summary>
    internal static int SignatureBytes(int signers, bool real) => real ? signers * Signature.SizeBytes : Signature.SizeBytes;
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

    public static HsNode Genesis { get; } = new(Block.Genesis, 0, new QuorumCert(0, Hash.Zero, 0, []));
    public static QuorumCert GenesisQc { get; } = new(0, Genesis.Id, 0, []);
}

/// <summary>One replica's signed timeout in a TC: it gave up the view holding a QC of <paramref name="HighQcView"/>.</summary>
public readonly record struct TimeoutVote(long HighQcView, Signature Sig);

/// <summary>
/// 2f+1 timeout (new-view) messages for one view from distinct replicas: proof that the view is over.
/// As DiemBFT's TC it carries each signer's high-QC view (<paramref name="Votes"/>, in replica order)
/// and the highest QC among them, <paramref name="HighQc"/>, whose view must be their maximum.
/// </summary>
public sealed record TimeoutCert(long View, QuorumCert HighQc, IReadOnlyList<TimeoutVote> Votes)
{
    public int SizeBytes(int n) => 16 + (n + 7) / 8 + 8 * Votes.Count
        + QuorumCert.SignatureBytes(Votes.Count, Votes.Count > 0 && Votes[0].Sig.Ecdsa is not null) + HighQc.SizeBytes(n);
}

/// <summary>Algorithm 3 onPropose: the leader of <c>Node.View</c> broadcasts its new leaf (with a TC after a timeout).</summary>
public sealed record Proposal(HsNode Node, TimeoutCert? Tc, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Proposal;
    public Statement Statement => For(Node);
    public static Statement For(HsNode node) => new(StatementKind.HotStuffProposal, node.View, node.Height, node.Id);
    public int SizeBytes(int n) => 24 + Signature.SizeBytes + Node.Block.SizeBytes + Node.Justify.SizeBytes(n) + (Tc?.SizeBytes(n) ?? 0);
}

/// <summary>A vote (partial signature) for a node, sent to the next view's leader.</summary>
public sealed record Vote(long View, Hash Node, long Height, int Replica, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Vote;
    public Statement Statement => For(View, Height, Node);
    public static Statement For(long view, long height, Hash node) => new(StatementKind.HotStuffVote, view, height, node);
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
    public Statement Statement => For(View, HighQc.View);
    /// <summary>A timeout signs the view and the view of the signer's highest QC (what a TC aggregates).</summary>
    public static Statement For(long view, long highQcView) => new(StatementKind.HotStuffTimeout, view, highQcView, Hash.Zero);
    public int SizeBytes(int n) => 16 + Signature.SizeBytes + HighQc.SizeBytes(n);
}

/// <summary>
/// Helps a replica that is behind (it sent a new-view for a view already over): the latest timeout
/// certificate and highest QC this replica knows, as DiemBFT's SyncInfo.
/// </summary>
public sealed record SyncInfo(TimeoutCert? Tc, QuorumCert HighQc, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.ViewChange;
    public Statement Statement => For(Tc, HighQc);
    public static Statement For(TimeoutCert? tc, QuorumCert highQc) => new(StatementKind.HotStuffSync, tc?.View ?? -1, highQc.View, highQc.Node);
    public int SizeBytes(int n) => 8 + Signature.SizeBytes + HighQc.SizeBytes(n) + (Tc?.SizeBytes(n) ?? 0);
}

/// <summary>Asks for a node (and its ancestors above <paramref name="AboveHeight"/>) that this replica missed.</summary>
public sealed record BlockRequest(Hash Node, long AboveHeight, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Transfer;
    public Statement Statement => For(Node, AboveHeight);
    public static Statement For(Hash node, long aboveHeight) => new(StatementKind.HotStuffBlockRequest, 0, aboveHeight, node);
    public const int SizeBytes = 48 + Signature.SizeBytes;
}

/// <summary>The requested node first, then its ancestors, newest to oldest.</summary>
public sealed record BlockReply(IReadOnlyList<HsNode> Nodes, Signature Sig) : IBftMessage
{
    public BftMessageKind Kind => BftMessageKind.Transfer;
    public Statement Statement => For(Nodes);

    public static Statement For(IReadOnlyList<HsNode> nodes)
    {
        var d = new ContentDigest();
        foreach (var n in nodes) d.Add(n.Id);
        return new(StatementKind.HotStuffBlockReply, 0, nodes.Count, d.ToHash());
    }

    public int SizeBytes(int n) => 16 + Signature.SizeBytes + Nodes.Sum(x => x.Block.SizeBytes + x.Justify.SizeBytes(n));
}

/// <summary>A replica's liveness lease, valid until <paramref name="Expiry"/> (with <see cref="HotStuffOptions.Quiesce"/>).
/// Modelled less: not signed; the network's sender identity stands for authentication, and it is a broadcast rather
/// than a replicated liveness record.</summary>
public sealed record ReplicaLiveness(int Replica, Lab.Sim.Time.SimTime Expiry)
{
    public const int SizeBytes = 32;
}
