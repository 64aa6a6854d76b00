using System.Buffers.Binary;
using Lab.Ledger.Crypto;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// Builds the SHA-256 digest of a message's content, field by field, for the <see cref="Statement"/>
/// its signature covers (a view-change's certificates, a new-view's V and O).
/// </summary>
public sealed class ContentDigest
{
    private byte[] _buf = new byte[256];
    private int _length;

    public ContentDigest Add(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64BigEndian(_buf.AsSpan(_length), value);
        _length += 8;
        return this;
    }

    public ContentDigest Add(Hash value)
    {
        Ensure(32);
        value.WriteTo(_buf.AsSpan(_length));
        _length += 32;
        return this;
    }

    public Hash ToHash() => Hash.Of(_buf.AsSpan(0, _length));

    private void Ensure(int more)
    {
        if (_length + more > _buf.Length) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _length + more));
    }
}
