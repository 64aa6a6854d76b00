using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace Lab.Cluster;

/// <summary>
/// Writes <see cref="IClusterMessage"/>s in a small fixed binary form (a manifest letter per type, then the
/// fields: strings as UTF-8 with a length, byte arrays with a length). A worker's or coordinator's message
/// never goes through a general-purpose serialiser that would rebuild arbitrary types from the wire.
/// </summary>
public sealed class ClusterMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Registered in the HOCON of <see cref="ClusterSettings"/>; unique among the system's serialisers.</summary>
    public const int Id = 7301;

    /// <summary>Longest byte array or list a message may carry (a run record can be large; far beyond this is damage).</summary>
    private const int MaxLength = 256 << 20;

    public override int Identifier => Id;

    public override string Manifest(object o) => ManifestOf(o);

    public override byte[] ToBinary(object obj) => Encode(obj);

    public override object FromBinary(byte[] bytes, string manifest) => Decode(bytes, manifest);

    /// <summary>The message's type letter (also a child process's frame kind, <see cref="PipeFrames"/>).</summary>
    public static string ManifestOf(object o) => o switch
    {
        Hello => "H",
        Challenge => "C",
        Proof => "P",
        Welcome => "W",
        Refused => "R",
        Pull => "U",
        Work => "K",
        Done => "D",
        Failed => "F",
        _ => throw new ArgumentException($"{o.GetType()} is not a cluster message"),
    };

    public static byte[] Encode(object obj)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            switch (obj)
            {
                case Hello h: w.Write(h.Worker); w.Write(h.Cores); w.Write(h.LabBuild); break;
                case Challenge c: Bytes(w, c.Nonce); break;
                case Proof p: Bytes(w, p.Mac); break;
                case Welcome m: w.Write(m.Coordinator); break;
                case Refused r: w.Write(r.Reason); break;
                case Pull u: w.Write(u.Slots); break;
                case Work k:
                    w.Write(k.Jobs.Count);
                    foreach (var j in k.Jobs)
                    {
                        w.Write(j.Id);
                        w.Write(j.File);
                        w.Write(j.Overrides.Count);
                        foreach (var o in j.Overrides) w.Write(o);
                        w.Write(j.ConfigHash);
                        w.Write(j.Run);
                    }
                    break;
                case Done d: w.Write(d.Id); Bytes(w, d.Record); break;
                case Failed f: w.Write(f.Id); w.Write(f.Error); break;
                default: throw new ArgumentException($"{obj.GetType()} is not a cluster message");
            }
        }
        return buffer.ToArray();
    }

    /// <exception cref="SerializationException">Not a message of that type, or damaged.</exception>
    public static object Decode(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        object result = manifest switch
        {
            "H" => new Hello(r.ReadString(), r.ReadInt32(), r.ReadString()),
            "C" => new Challenge(Bytes(r)),
            "P" => new Proof(Bytes(r)),
            "W" => new Welcome(r.ReadString()),
            "R" => new Refused(r.ReadString()),
            "U" => new Pull(r.ReadInt32()),
            "K" => new Work(ReadJobs(r)),
            "D" => new Done(r.ReadInt64(), Bytes(r)),
            "F" => new Failed(r.ReadInt64(), r.ReadString()),
            _ => throw new SerializationException($"unknown cluster message '{manifest}'"),
        };
        if (r.BaseStream.Position != r.BaseStream.Length) throw new SerializationException($"bytes left over after a '{manifest}' message");
        return result;
    }

    private static JobOffer[] ReadJobs(BinaryReader r)
    {
        var jobs = new JobOffer[Count(r)];
        for (int i = 0; i < jobs.Length; i++)
        {
            var id = r.ReadInt64();
            var file = r.ReadString();
            var overrides = new string[Count(r)];
            for (int k = 0; k < overrides.Length; k++) overrides[k] = r.ReadString();
            jobs[i] = new JobOffer(id, file, overrides, r.ReadString(), r.ReadInt32());
        }
        return jobs;
    }

    private static void Bytes(BinaryWriter w, byte[] b)
    {
        w.Write(b.Length);
        w.Write(b);
    }

    private static byte[] Bytes(BinaryReader r)
    {
        var n = Count(r);
        var b = r.ReadBytes(n);
        if (b.Length != n) throw new SerializationException("a cluster message is truncated");
        return b;
    }

    private static int Count(BinaryReader r)
    {
        var n = r.ReadInt32();
        if (n < 0 || n > MaxLength || n > r.BaseStream.Length - r.BaseStream.Position) throw new SerializationException($"a length of {n} does not fit the message");
        return n;
    }
}
