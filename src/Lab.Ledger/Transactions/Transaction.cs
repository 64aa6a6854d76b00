using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Lab.Ledger.Contracts;
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
    // long's own hash (low ^ high word) gives sequence ^ (client << 8): few distinct values for many
    // clients × sequences, so sets of ids degrade. Fibonacci hashing spreads them; it is fixed, not per process.
    public override int GetHashCode() => unchecked((int)((ulong)Value * 0x9E3779B97F4A7C15UL >> 32));
    public override string ToString() => $"tx{Client.Value}.{Sequence}";
}

/// <summary>
/// A transaction as clients submit it. <see cref="Payload"/> is what the state machine or contract
/// executes (null for plain load); <see cref="SizeBytes"/> is what the network carries.
/// </summary>
public sealed record Transaction(TxId Id, string Submitter, object? Payload, int SizeBytes, SimTime SubmittedAt)
{
    // Everything most transactions never need, behind one reference (runs have millions of transactions: 64 bytes
    // each, not 88): a real signature, its SHA-256 once asked for, and a payload's content hash once computed
    // (without a payload the content hash is cheap and not kept). Each box is immutable: a cache is added by
    // publishing a new one, so nodes running in parallel read whole boxes; racing writers may drop each other's
    // cache (it is computed again), never the signature, which every box of a transaction carries.
    private Extras? _extras;

    // A record, so that the record's generated equality compares the boxes by value.
    private sealed record Extras(byte[]? Signature, Hash? Sha256, UInt128? Content);

    // `with` must not carry the cached hashes over to a changed copy.
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
    public byte[]? Signature
    {
        get => _extras?.Signature;
        init => _extras = value is null ? null : new Extras(value, null, null);   // set only while constructing: no caches yet
    }

    /// <summary>
    /// Content identity for blocks and checkers: the id, the size, and a 128-bit XxHash of the submitter and the
    /// payload's text form. Not cryptographic and not a cost model (signing and hashing costs are charged as
    /// virtual CPU time): it tells different transactions apart, as a hash would, without a SHA-256 per
    /// transaction. Stable across runs and processes.
    /// </summary>
    public Hash Fingerprint
    {
        get
        {
            UInt128 content;
            if (Payload is null) content = ComputeContent();   // the submitter's name only: hashed on the stack, cheaper than a cache
            else if (Volatile.Read(ref _extras) is { Content: { } cached }) content = cached;
            else
            {
                content = ComputeContent();
                var e = Volatile.Read(ref _extras);
                Volatile.Write(ref _extras, e is null ? new Extras(null, null, content) : e with { Content = content });
            }
            return unchecked(new Hash((ulong)Id.Value, (ulong)SizeBytes, (ulong)(content >> 64), (ulong)content));
        }
    }

    /// <summary>The same transaction: the same object, or the same id, size, submitter and payload.</summary>
    public bool SameContent(Transaction other) => ReferenceEquals(this, other) || Fingerprint == other.Fingerprint;

    private UInt128 ComputeContent()
    {
        // A contract call writes its text straight onto the stack (a DvP's fingerprint: no string, no StringBuilder).
        if (Payload is ContractCall call && Submitter.Length < 64)
        {
            Span<char> buffer = stackalloc char[512];
            Submitter.AsSpan().CopyTo(buffer);
            buffer[Submitter.Length] = '|';
            if (call.TryFormat(buffer[(Submitter.Length + 1)..], out var written, default, null))
                return XxHash128.HashToUInt128(MemoryMarshal.AsBytes(buffer[..(Submitter.Length + 1 + written)]));
        }
        // UTF-16 code units of "submitter|payload", hashed once; on the stack when small.
        var payload = Payload?.ToString() ?? "";
        var chars = Submitter.Length + 1 + payload.Length;
        char[]? rented = chars <= 256 ? null : System.Buffers.ArrayPool<char>.Shared.Rent(chars);
        Span<char> text = rented is null ? stackalloc char[chars] : rented.AsSpan(0, chars);
        Submitter.AsSpan().CopyTo(text);
        text[Submitter.Length] = '|';
        payload.AsSpan().CopyTo(text[(Submitter.Length + 1)..]);
        var content = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(text));
        if (rented is not null) System.Buffers.ArrayPool<char>.Shared.Return(rented);
        return content;
    }

    /// <summary>SHA-256 over id, submitter and size (and the payload's text form): stable across runs. What a
    /// real signature signs (<c>chain.signatures: real</c>); computed only when asked for.</summary>
    public Hash Hash
    {
        get
        {
            if (Volatile.Read(ref _extras) is { Sha256: { } cached }) return cached;
            var hash = Compute();
            var e = Volatile.Read(ref _extras);
            Volatile.Write(ref _extras, e is null ? new Extras(null, hash, null) : e with { Sha256 = hash });
            return hash;
        }
    }

    private Hash Compute()
    {
        // Same bytes as before: id, size, then UTF-8 of "submitter|payload"; on the stack when small.
        var payload = Payload?.ToString() ?? "";
        var textLength = Encoding.UTF8.GetByteCount(Submitter) + 1 + Encoding.UTF8.GetByteCount(payload);
        var length = 16 + textLength;
        Span<byte> buf = length <= 256 ? stackalloc byte[length] : new byte[length];
        BinaryPrimitives.WriteInt64BigEndian(buf, Id.Value);
        BinaryPrimitives.WriteInt64BigEndian(buf[8..], SizeBytes);
        var n = Encoding.UTF8.GetBytes(Submitter, buf[16..]);
        buf[16 + n] = (byte)'|';
        Encoding.UTF8.GetBytes(payload, buf[(17 + n)..]);
        return Hash.Of(buf);
    }
}
