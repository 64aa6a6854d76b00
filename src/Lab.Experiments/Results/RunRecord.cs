using System.Security.Cryptography;
using System.Text;
using Lab.Reports;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Experiments.Results;

/// <summary>
/// One finished run, exactly: everything <c>summary.json</c>, <c>metrics/</c>, the charts and the
/// report are made from (kernel statistics, fault windows, CPU and NIC use, counters, samples, series,
/// scalars, findings, node names), with every double kept bit for bit. It is what a results folder
/// keeps in <c>runs/</c> as each run finishes (so an interrupted sweep loses nothing and resumes),
/// and what a worker hands back to a coordinator when runs are spread over machines.
/// <para><see cref="Encode"/> writes a self-checking binary form: a magic header and format version,
/// the fields in a fixed order (little-endian; strings as their UTF-16 code units with their length, so
/// any .NET string survives), and a SHA-256 of all
/// of it at the end. <see cref="Decode"/> refuses anything truncated, altered or from another format
/// version with an <see cref="InvalidDataException"/>, never an allocation sized by damaged data.</para>
/// </summary>
/// <param name="ConfigHash">The experiment's <see cref="Experiment.ConfigHash"/>: a record from another experiment is never mistaken for one of this.</param>
/// <param name="Point">Index of the variant × sweep point in the experiment's plan.</param>
/// <param name="Result">The run itself; its <see cref="ReplicationResult.Index"/> is the replication.</param>
public sealed record RunRecord(string ConfigHash, int Point, ReplicationResult Result)
{
    /// <summary>File name ending of a record in a results folder's <c>runs/</c>.</summary>
    public const string Extension = ".run";

    private static readonly byte[] Magic = "LABRUN\n"u8.ToArray();
    /// <summary>Bumped whenever the layout changes; older records are then refused, not misread.</summary>
    private const byte FormatVersion = 2; // 2: per-node NIC usage
    private const int HashLength = 32;

    public int Replication => Result.Index;

    /// <summary>Where the record lives in <c>runs/</c>: point and replication, zero-padded so names sort in plan order.</summary>
    public string FileName => NameOf(Point, Replication);

    public static string NameOf(int point, int replication) => $"point{point:D6}-rep{replication:D5}{Extension}";

    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            Text(w, ConfigHash);
            w.Write(Point);
            var r = Result;
            w.Write(r.Index);
            w.Write(r.Seed);

            var s = r.Stats;
            w.Write(s.EventsProcessed);
            w.Write(s.MessagesSent);
            w.Write(s.BytesSent);
            w.Write(s.MessagesDelivered);
            w.Write(s.MessagesDropped);
            w.Write(s.Windows);
            w.Write(s.FinalTime.Nanos);
            w.Write((int)s.StoppedBy);
            w.Write(s.Faults.Count);
            foreach (var f in s.Faults)
            {
                w.Write(f.Start.Nanos);
                w.Write(f.End.HasValue);
                w.Write(f.End?.Nanos ?? 0);
                Text(w, f.Description);
            }
            Doubles(w, s.CpuUtilisation);
            w.Write(s.TraceHash);
            w.Write(s.Nic.Count);
            foreach (var n in s.Nic)
            {
                w.Write(n.UplinkUtilisation);
                w.Write(n.UplinkQueueP99Seconds);
                w.Write(n.DownlinkUtilisation);
                w.Write(n.DownlinkQueueP99Seconds);
            }

            var m = r.Metrics;
            w.Write(m.SeriesBin.Nanos);
            Values(w, m.Counters);
            Arrays(w, m.Samples);
            Arrays(w, m.Series);
            Values(w, m.Scalars);
            w.Write(m.Findings.Count);
            foreach (var f in m.Findings)
            {
                w.Write(f.At.Nanos);
                Text(w, f.Kind);
                Text(w, f.Text);
            }

            w.Write(r.Nodes.Count);
            foreach (var (name, kind) in r.Nodes)
            {
                Text(w, name);
                Text(w, kind);
            }
        }
        var body = buffer.ToArray();
        var result = new byte[body.Length + HashLength];
        body.CopyTo(result, 0);
        SHA256.HashData(body, result.AsSpan(body.Length));
        return result;
    }

    /// <exception cref="InvalidDataException">The bytes are not a whole, unaltered record of this format version.</exception>
    public static RunRecord Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Magic.Length + 1 + HashLength || !bytes[..Magic.Length].SequenceEqual(Magic))
            throw new InvalidDataException("not a run record");
        var body = bytes[..^HashLength];
        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(body, hash);
        if (!hash.SequenceEqual(bytes[^HashLength..]))
            throw new InvalidDataException("the record is truncated or damaged (its checksum does not match)");
        if (body[Magic.Length] != FormatVersion)
            throw new InvalidDataException($"record format {body[Magic.Length]}, this lab reads format {FormatVersion}");
        try
        {
            using var r = new BinaryReader(new MemoryStream(body[(Magic.Length + 1)..].ToArray()));
            var configHash = Text(r);
            var point = r.ReadInt32();
            var index = r.ReadInt32();
            var seed = r.ReadUInt64();

            var events = r.ReadInt64();
            var sent = r.ReadInt64();
            var bytesSent = r.ReadInt64();
            var delivered = r.ReadInt64();
            var dropped = r.ReadInt64();
            var windows = r.ReadInt64();
            var finalTime = new SimTime(r.ReadInt64());
            var stoppedBy = r.ReadInt32();
            if (!Enum.IsDefined((StopReason)stoppedBy)) throw new InvalidDataException($"unknown stop reason {stoppedBy}");
            var faults = new FaultWindow[Count(r, 8 + 1 + 8 + 4)];
            for (int i = 0; i < faults.Length; i++)
            {
                var start = new SimTime(r.ReadInt64());
                var hasEnd = r.ReadBoolean();
                var end = r.ReadInt64();
                faults[i] = new FaultWindow(start, hasEnd ? new SimTime(end) : null, Text(r));
            }
            var cpu = Doubles(r);
            var traceHash = r.ReadUInt64();
            var nic = new NicUsage[Count(r, 4 * 8)];
            for (int i = 0; i < nic.Length; i++) nic[i] = new NicUsage(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
            var stats = new RunStats(events, sent, bytesSent, delivered, dropped, windows, finalTime, (StopReason)stoppedBy, faults, cpu, traceHash) { Nic = nic };

            var metrics = new RunMetrics(Duration.FromNanos(r.ReadInt64()));
            Values(r, metrics.Counters);
            Arrays(r, metrics.Samples);
            Arrays(r, metrics.Series);
            Values(r, metrics.Scalars);
            var findings = Count(r, 8 + 4 + 4);
            for (int i = 0; i < findings; i++) metrics.Findings.Add(new Finding(new SimTime(r.ReadInt64()), Text(r), Text(r)));

            var nodes = new (string, string)[Count(r, 8)];
            for (int i = 0; i < nodes.Length; i++) nodes[i] = (Text(r), Text(r));
            if (r.BaseStream.Position != r.BaseStream.Length) throw new InvalidDataException("unexpected bytes after the record");

            return new RunRecord(configHash, point, new ReplicationResult
            {
                Index = index,
                Seed = seed,
                Stats = stats,
                Metrics = metrics,
                Nodes = nodes,
            });
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            throw new InvalidDataException("the record does not follow its format: " + e.Message, e);
        }
    }

    private static void Text(BinaryWriter w, string s)
    {
        w.Write(s.Length);
        foreach (var c in s) w.Write((ushort)c);
    }

    private static string Text(BinaryReader r)
    {
        var n = Count(r, 2);
        var chars = new char[n];
        for (int i = 0; i < n; i++) chars[i] = (char)r.ReadUInt16();
        return new string(chars);
    }

    private static void Doubles(BinaryWriter w, IReadOnlyList<double> values)
    {
        w.Write(values.Count);
        foreach (var v in values) w.Write(v);
    }

    private static void Values(BinaryWriter w, SortedDictionary<string, double> values)
    {
        w.Write(values.Count);
        foreach (var (k, v) in values) { Text(w, k); w.Write(v); }
    }

    private static void Arrays(BinaryWriter w, SortedDictionary<string, double[]> arrays)
    {
        w.Write(arrays.Count);
        foreach (var (k, v) in arrays) { Text(w, k); Doubles(w, v); }
    }

    private static double[] Doubles(BinaryReader r)
    {
        var values = new double[Count(r, 8)];
        for (int i = 0; i < values.Length; i++) values[i] = r.ReadDouble();
        return values;
    }

    private static void Values(BinaryReader r, SortedDictionary<string, double> into)
    {
        var n = Count(r, 4 + 8);
        for (int i = 0; i < n; i++) into.Add(Text(r), r.ReadDouble());
    }

    private static void Arrays(BinaryReader r, SortedDictionary<string, double[]> into)
    {
        var n = Count(r, 4 + 4);
        for (int i = 0; i < n; i++) into.Add(Text(r), Doubles(r));
    }

    /// <summary>A count of items of at least <paramref name="minBytes"/> each, refused if the rest of the record cannot hold them.</summary>
    private static int Count(BinaryReader r, int minBytes)
    {
        var n = r.ReadInt32();
        var left = r.BaseStream.Length - r.BaseStream.Position;
        if (n < 0 || (long)n * minBytes > left) throw new InvalidDataException($"a count of {n} items does not fit in the {left} bytes left");
        return n;
    }
}
