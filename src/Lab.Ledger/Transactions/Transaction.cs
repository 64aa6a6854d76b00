using System.Buffers.Binary;
using System.Text;
using Lab.Ledger.Crypto;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Ledger.Transactions;

/// <summary>Transaction id: the submitting client's node index and its own sequence number.</summary>
public readonly record struct TxId(long Value) : IComparable<TxId>
{
    public static TxId For(NodeId client, long sequence) => new(((long)client.Value << 40) | sequence);
    public NodeId Client => new((int)(Value >> 40));
    public long Sequence => Value & ((1L << 40) - 1);
    public int CompareTo(TxId other) => Value.CompareTo(other.Value);
    public override string ToString() => $"tx{Client.Value}.{Sequence}";
}

/// <summary>
/// A transaction as clients submit it. <see cref="Payload"/> is what the state machine or contract
/// executes (null for plain load); <see cref="SizeBytes"/> is what the network carries.
/// </summary>
public sealed record Transaction(TxId Id, string Submitter, object? Payload, int SizeBytes, SimTime SubmittedAt)
{
    private Hash? _hash;

    // `with` must not carry the cached hash over to a changed copy.
    private Transaction(Transaction original)
    {
        Id = original.Id;
        Submitter = original.Submitter;
        Payload = original.Payload;
        SizeBytes = original.SizeBytes;
        SubmittedAt = original.SubmittedAt;
        Signature = original.Signature;
    }

    /// <summary>ECDSA P-256 signature over <see cref="Hash"/> by <see cref="Submitter"/> (IEEE P1363, 64 bytes);
    /// null when signatures are modelled. Not part of the hash.</summary>
    public byte[]? Signature { get; init; }

    /// <summary>SHA-256 over id, submitter and size (and the payload's text form): stable across runs.</summary>
    public Hash Hash => _hash ??= Compute();

    private Hash Compute()
    {
        var text = Encoding.UTF8.GetBytes($"{Submitter}|{Payload}");
        var buf = new byte[16 + text.Length];
        BinaryPrimitives.WriteInt64BigEndian(buf, Id.Value);
        BinaryPrimitives.WriteInt64BigEndian(buf.AsSpan(8), SizeBytes);
        text.CopyTo(buf, 16);
        return Hash.Of(buf);
    }
}
