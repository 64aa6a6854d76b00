using System.Runtime.Serialization;
using System.Text;

namespace Lab.Cluster;

/// <summary>
/// The frames a <c>lab run</c> and its child worker processes (<c>lab worker --stdio</c>) exchange over the child's
/// standard input and output: a kind letter, the payload's length, the payload. Parent → child: <c>P</c> (load this
/// experiment now: the job that names it follows) and <c>K</c> (a <see cref="Work"/>). Child → parent: <c>S</c> (run started), <c>A</c> (share of its virtual time done), <c>D</c> (a
/// <see cref="Done"/> with the run's record) or <c>F</c> (a <see cref="Failed"/>). Work, Done and Failed are the cluster's
/// own messages in the cluster's own encoding (<see cref="ClusterMessageSerializer"/>).
/// </summary>
public static class PipeFrames
{
    /// <summary>Longest payload a frame may carry (a run record can be large; far beyond this is damage).</summary>
    private const int MaxLength = 256 << 20;
    private const string Kinds = "PSAKDF";

    /// <summary>The experiment the coming jobs name (file as the parent names it, and its <c>--set</c> values).</summary>
    public sealed record Prepare(string File, IReadOnlyList<string> Overrides);
    public sealed record Started(long Id);
    public sealed record Advanced(long Id, double Fraction);

    public static BinaryWriter Writer(Stream s) => new(s, Encoding.UTF8, leaveOpen: true);
    public static BinaryReader Reader(Stream s) => new(s, Encoding.UTF8, leaveOpen: true);

    public static void Write(BinaryWriter w, object frame)
    {
        var (kind, payload) = frame switch
        {
            Prepare p => ('P', Fields(b =>
            {
                b.Write(p.File);
                b.Write(p.Overrides.Count);
                foreach (var o in p.Overrides) b.Write(o);
            })),
            Started s => ('S', Fields(b => b.Write(s.Id))),
            Advanced a => ('A', Fields(b => { b.Write(a.Id); b.Write(a.Fraction); })),
            Work or Done or Failed => (ClusterMessageSerializer.ManifestOf(frame)[0], ClusterMessageSerializer.Encode(frame)),
            _ => throw new ArgumentException($"{frame.GetType()} is not a pipe frame"),
        };
        w.Write((byte)kind);
        w.Write(payload.Length);
        w.Write(payload);
        w.Flush();
    }

    /// <summary>The next frame, or null at the end of the stream (the other side closed it or died).</summary>
    /// <exception cref="InvalidDataException">The stream holds something that is not a frame.</exception>
    public static object? Read(BinaryReader r)
    {
        int kind;
        try { kind = r.BaseStream.ReadByte(); }
        catch (IOException) { return null; }
        if (kind < 0) return null;
        if (Kinds.IndexOf((char)kind) < 0) throw new InvalidDataException($"unknown frame kind {kind}");
        try
        {
            var n = r.ReadInt32();
            if (n < 0 || n > MaxLength) throw new InvalidDataException($"a length of {n} does not fit a frame");
            var payload = r.ReadBytes(n);
            if (payload.Length != n) throw Truncated();
            using var p = new BinaryReader(new MemoryStream(payload));
            return (char)kind switch
            {
                'P' => ReadPrepare(p),
                'S' => new Started(p.ReadInt64()),
                'A' => new Advanced(p.ReadInt64(), p.ReadDouble()),
                _ => ClusterMessageSerializer.Decode(payload, ((char)kind).ToString()),
            };
        }
        catch (EndOfStreamException) { throw Truncated(); }
        catch (SerializationException e) { throw new InvalidDataException(e.Message, e); }
    }

    private static Prepare ReadPrepare(BinaryReader p)
    {
        var file = p.ReadString();
        var n = p.ReadInt32();
        if (n < 0 || n > p.BaseStream.Length) throw new InvalidDataException($"a count of {n} overrides does not fit the frame");
        var overrides = new string[n];
        for (var i = 0; i < n; i++) overrides[i] = p.ReadString();
        return new Prepare(file, overrides);
    }

    private static InvalidDataException Truncated() => new("a frame is truncated (the other process ended mid-frame)");

    private static byte[] Fields(Action<BinaryWriter> write)
    {
        using var m = new MemoryStream();
        using (var b = new BinaryWriter(m)) write(b);
        return m.ToArray();
    }
}
