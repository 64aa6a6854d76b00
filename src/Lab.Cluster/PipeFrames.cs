using System.Text;

namespace Lab.Cluster;

/// <summary>
/// The frames a <c>lab run</c> and its child worker processes (<c>lab worker --stdio</c>) exchange over the child's
/// standard input and output: a kind letter, then the fields in <see cref="BinaryWriter"/>'s form. Parent → child:
/// <c>J</c> (a <see cref="JobOffer"/>). Child → parent: <c>S</c> (run started), <c>A</c> (share of its virtual time
/// done), <c>D</c> (a <see cref="Done"/> with the run's record) or <c>F</c> (a <see cref="Failed"/>).
/// </summary>
public static class PipeFrames
{
    /// <summary>Longest record or list a frame may carry (as <see cref="ClusterMessageSerializer"/>).</summary>
    private const int MaxLength = 256 << 20;

    public sealed record Started(long Id);
    public sealed record Advanced(long Id, double Fraction);

    public static BinaryWriter Writer(Stream s) => new(s, Encoding.UTF8, leaveOpen: true);
    public static BinaryReader Reader(Stream s) => new(s, Encoding.UTF8, leaveOpen: true);

    public static void Write(BinaryWriter w, object frame)
    {
        switch (frame)
        {
            case JobOffer j:
                w.Write('J'); w.Write(j.Id); w.Write(j.File);
                w.Write(j.Overrides.Count);
                foreach (var o in j.Overrides) w.Write(o);
                w.Write(j.ConfigHash); w.Write(j.Run);
                break;
            case Started s: w.Write('S'); w.Write(s.Id); break;
            case Advanced a: w.Write('A'); w.Write(a.Id); w.Write(a.Fraction); break;
            case Done d: w.Write('D'); w.Write(d.Id); w.Write(d.Record.Length); w.Write(d.Record); break;
            case Failed f: w.Write('F'); w.Write(f.Id); w.Write(f.Error); break;
            default: throw new ArgumentException($"{frame.GetType()} is not a pipe frame");
        }
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
        try
        {
            return (char)kind switch
            {
                'J' => ReadJob(r),
                'S' => new Started(r.ReadInt64()),
                'A' => new Advanced(r.ReadInt64(), r.ReadDouble()),
                'D' => new Done(r.ReadInt64(), ReadBytes(r)),
                'F' => new Failed(r.ReadInt64(), r.ReadString()),
                _ => throw new InvalidDataException($"unknown frame kind {kind}"),
            };
        }
        catch (EndOfStreamException) { throw new InvalidDataException("a frame is truncated (the other process ended mid-frame)"); }
    }

    private static JobOffer ReadJob(BinaryReader r)
    {
        var id = r.ReadInt64();
        var file = r.ReadString();
        var overrides = new string[Count(r)];
        for (int k = 0; k < overrides.Length; k++) overrides[k] = r.ReadString();
        return new JobOffer(id, file, overrides, r.ReadString(), r.ReadInt32());
    }

    private static byte[] ReadBytes(BinaryReader r)
    {
        var n = Count(r);
        var b = r.ReadBytes(n);
        if (b.Length != n) throw new InvalidDataException("a frame is truncated (the other process ended mid-frame)");
        return b;
    }

    private static int Count(BinaryReader r)
    {
        var n = r.ReadInt32();
        if (n < 0 || n > MaxLength) throw new InvalidDataException($"a length of {n} does not fit a frame");
        return n;
    }
}
