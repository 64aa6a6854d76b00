using System.Buffers.Binary;
using Lab.Ledger.Crypto;

namespace Lab.Consensus.Byzantine;

/// <summary>What kind of protocol statement a signature covers (so a prepare cannot pass for a commit).</summary>
public enum StatementKind : byte
{
    PbftPrePrepare = 1, PbftPrepare, PbftCommit, PbftCheckpoint, PbftViewChange, PbftNewView, PbftForward,
    PbftStateRequest, PbftStateReply,
    HotStuffProposal = 32, HotStuffVote, HotStuffTimeout, HotStuffSync, HotStuffBlockRequest, HotStuffBlockReply,
}

/// <summary>
/// The value a replica signs: a kind, a view, a sequence number (or height) and a digest of the
/// rest of the message's content. Certificates are checked against it: a prepare for one digest is
/// no prepare for another, a vote in view 5 is no vote in view 6.
/// </summary>
public readonly record struct Statement(StatementKind Kind, long View, long Seq, Hash Digest)
{
    /// <summary>Bytes of the canonical encoding: kind, view, seq, digest.</summary>
    public const int EncodedBytes = 1 + 8 + 8 + 32;

    public void WriteTo(Span<byte> d)
    {
        d[0] = (byte)Kind;
        BinaryPrimitives.WriteInt64BigEndian(d[1..], View);
        BinaryPrimitives.WriteInt64BigEndian(d[9..], Seq);
        Digest.WriteTo(d[17..]);
    }

    /// <summary>SHA-256 of the encoding: what a real signature signs.</summary>
    public Hash ToHash()
    {
        Span<byte> buf = stackalloc byte[EncodedBytes];
        WriteTo(buf);
        return Hash.Of(buf);
    }
}
