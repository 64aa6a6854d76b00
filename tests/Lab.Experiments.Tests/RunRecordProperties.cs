using System.Reflection;
using FsCheck;
using FsCheck.Xunit;
using Lab.Experiments.Results;
using Lab.Reports;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Experiments.Tests;

/// <summary>A finished run survives being written and read back exactly, and damage is always noticed.</summary>
public class RunRecordProperties
{
    /// <summary>A run made from arbitrary values: any doubles (NaN payloads, −0, infinities, subnormals as raw bits), any text.</summary>
    private static RunRecord Make(long[] bits, string?[] texts, long[] longs, int point, int replication, ulong seed)
    {
        string T(int i) => texts.Length == 0 ? "" : texts[Math.Abs(i % texts.Length)] ?? "";
        long L(int i) => longs.Length == 0 ? i : longs[Math.Abs(i % longs.Length)];
        var doubles = bits.Select(BitConverter.Int64BitsToDouble).ToArray();
        double[] Slice(int from, int count) => [.. doubles.Skip(Math.Min(from, doubles.Length)).Take(count)];

        var faults = Enumerable.Range(0, texts.Length % 4)
            .Select(i => new FaultWindow(new SimTime(L(i)), i % 2 == 0 ? new SimTime(L(i + 1)) : null, T(i))).ToList();
        var stats = new RunStats(L(0), L(1), L(2), L(3), L(4), L(5), new SimTime(L(6)), (StopReason)(Math.Abs(L(7)) % 5),
            faults, Slice(0, 5), (ulong)L(8))
        {
            Nic = [.. Enumerable.Range(0, bits.Length % 3).Select(i => new NicUsage(Slice(i, 1).FirstOrDefault(), Slice(i + 1, 1).FirstOrDefault(), Slice(i + 2, 1).FirstOrDefault(), -0.0))],
        };
        var metrics = new RunMetrics(Duration.FromNanos(L(9)));
        for (int i = 0; i < texts.Length; i++)
        {
            // Distinct names per dictionary; the value kind cycles so every shape gets entries.
            var name = $"{i}:{T(i)}";
            switch (i % 4)
            {
                case 0: metrics.Counters[name] = doubles.Length > 0 ? doubles[i % doubles.Length] : i; break;
                case 1: metrics.Samples[name] = Slice(i, i + 3); break;
                case 2: metrics.Series[name] = Slice(2 * i, 7); break;
                default: metrics.Scalars[name] = doubles.Length > 0 ? doubles[(i * 7) % doubles.Length] : -0.0; break;
            }
            metrics.Findings.Add(new Finding(new SimTime(L(i)), T(i + 1), T(i + 2)));
        }
        var result = new ReplicationResult
        {
            Index = Math.Abs(replication % 10_000),
            Seed = seed,
            Stats = stats,
            Metrics = metrics,
            Nodes = [.. Enumerable.Range(0, texts.Length % 6).Select(i => (T(i), T(i + 3)))],
        };
        return new RunRecord("hash-" + T(5), Math.Abs(point % 1_000_000), result);
    }

    /// <summary>Every field, doubles as raw bits: equal text ⇔ equal records.</summary>
    private static string Dump(RunRecord r)
    {
        static string D(double v) => BitConverter.DoubleToInt64Bits(v).ToString("x16");
        var x = r.Result;
        var s = x.Stats;
        var m = x.Metrics;
        var sb = new System.Text.StringBuilder();
        sb.Append($"{r.ConfigHash}|{r.Point}|{x.Index}|{x.Seed}|{s.EventsProcessed}|{s.MessagesSent}|{s.BytesSent}|{s.MessagesDelivered}|{s.MessagesDropped}|{s.Windows}|{s.FinalTime.Nanos}|{s.StoppedBy}|{s.TraceHash}\n");
        foreach (var f in s.Faults) sb.Append($"fault {f.Start.Nanos} {f.End?.Nanos.ToString() ?? "open"} [{f.Description}]\n");
        sb.Append("cpu ").AppendJoin(',', s.CpuUtilisation.Select(D)).Append('\n');
        foreach (var u in s.Nic) sb.Append($"nic {D(u.UplinkUtilisation)} {D(u.UplinkQueueP99Seconds)} {D(u.DownlinkUtilisation)} {D(u.DownlinkQueueP99Seconds)}\n");
        sb.Append($"bin {m.SeriesBin.Nanos}\n");
        foreach (var (k, v) in m.Counters) sb.Append($"counter [{k}] {D(v)}\n");
        foreach (var (k, v) in m.Samples) sb.Append($"samples [{k}] ").AppendJoin(',', v.Select(D)).Append('\n');
        foreach (var (k, v) in m.Series) sb.Append($"series [{k}] ").AppendJoin(',', v.Select(D)).Append('\n');
        foreach (var (k, v) in m.Scalars) sb.Append($"scalar [{k}] {D(v)}\n");
        foreach (var f in m.Findings) sb.Append($"finding {f.At.Nanos} [{f.Kind}] [{f.Text}]\n");
        foreach (var (n, k) in x.Nodes) sb.Append($"node [{n}] [{k}]\n");
        return sb.ToString();
    }

    [Property(MaxTest = 300)]
    public bool A_record_reads_back_bit_for_bit(long[] bits, string?[] texts, long[] longs, int point, int replication, ulong seed)
    {
        var record = Make(bits, texts, longs, point, replication, seed);
        var bytes = record.Encode();
        var back = RunRecord.Decode(bytes);
        return Dump(back) == Dump(record) && back.Encode().SequenceEqual(bytes);
    }

    [Property(MaxTest = 200)]
    public bool A_truncated_or_altered_record_is_refused(long[] bits, string?[] texts, int cut, int flip, byte mask)
    {
        var bytes = Make(bits, texts, [1, 2, 3], 1, 2, 3).Encode();
        var truncated = bytes[..Math.Abs(cut % bytes.Length)];
        var altered = (byte[])bytes.Clone();
        altered[Math.Abs(flip % bytes.Length)] ^= mask == 0 ? (byte)1 : mask;
        return Refused(truncated) && Refused(altered);
    }

    private static bool Refused(byte[] bytes)
    {
        try { RunRecord.Decode(bytes); return false; }
        catch (InvalidDataException) { return true; }
    }

    /// <summary>
    /// The record must carry every property of what it records. When a field is added to the run's
    /// result (say a new kernel statistic), this fails until <see cref="RunRecord"/> writes it too;
    /// otherwise a resumed sweep, or one run on a cluster, would silently lose it.
    /// </summary>
    [Theory]
    [InlineData(typeof(ReplicationResult), "Index,Metrics,Nodes,Seed,Stats")]
    [InlineData(typeof(RunStats), "BytesSent,CpuUtilisation,EventsProcessed,Faults,FinalTime,MessagesDelivered,MessagesDropped,MessagesSent,Nic,StoppedBy,TraceHash,Windows")]
    [InlineData(typeof(RunMetrics), "Counters,Findings,Samples,Scalars,Series,SeriesBin")]
    [InlineData(typeof(Finding), "At,Kind,Text")]
    [InlineData(typeof(FaultWindow), "Description,End,Start")]
    [InlineData(typeof(NicUsage), "DownlinkQueueP99Seconds,DownlinkUtilisation,UplinkQueueP99Seconds,UplinkUtilisation")]
    public void The_record_covers_every_field_of_a_run(Type type, string written)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract").Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(written, string.Join(",", properties));
    }
}
