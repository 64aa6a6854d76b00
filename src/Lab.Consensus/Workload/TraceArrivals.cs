using System.Globalization;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>One line of a replayed trace: offset from the run start, transaction size, type.</summary>
public sealed record TraceRecord(Duration At, int SizeBytes, string Type);

/// <summary>
/// Replays a recorded trace exactly: records are dealt to clients in turn (record i to client
/// i mod clients). Parse one with <see cref="Parse"/> from CSV <c>time,size,type</c>.
/// </summary>
public sealed record TraceArrivals(IReadOnlyList<TraceRecord> Records) : ArrivalProcess
{
    public override double MeanRatePerSecond =>
        Records.Count < 2 ? Records.Count : Records.Count / Math.Max(1e-9, (Records[^1].At - Records[0].At).TotalSeconds);

    public override IArrivalSource CreateSource(int client, int clients) => new Source(Records, client, clients);

    /// <summary>
    /// Parses CSV with a header: <c>time,size,type</c>; time in seconds from the start or with a unit
    /// (<c>1.5</c>, <c>250ms</c>), size in bytes. Rows must be in time order.
    /// </summary>
    public static TraceArrivals Parse(string csv, string source = "trace")
    {
        var records = new List<TraceRecord>();
        var lines = csv.Split('\n');
        var first = true;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cols = line.Split(',');
            // The header is the first line that is not blank or a comment (comments may come before it).
            var header = first && !double.TryParse(cols[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _) && !Duration.TryParse(cols[0], out _, out _);
            first = false;
            if (header) continue;
            if (cols.Length < 2) throw new FormatException($"{source}:{i + 1}: expected time,size,type");
            Duration at;
            if (double.TryParse(cols[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) at = Duration.FromSeconds(seconds);
            else if (!Duration.TryParse(cols[0], out at, out var error)) throw new FormatException($"{source}:{i + 1}: {error}");
            if (!int.TryParse(cols[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) || size <= 0)
                throw new FormatException($"{source}:{i + 1}: size '{cols[1]}' is not a positive number of bytes");
            if (records.Count > 0 && at < records[^1].At) throw new FormatException($"{source}:{i + 1}: times must not go backwards");
            records.Add(new TraceRecord(at, size, cols.Length > 2 ? cols[2].Trim() : "tx"));
        }
        return new TraceArrivals(records);
    }

    private sealed class Source(IReadOnlyList<TraceRecord> records, int client, int clients) : IArrivalSource
    {
        private int _next = client;

        public Arrival? Next(SimRandom rng)
        {
            if (_next >= records.Count) return null;
            var r = records[_next];
            _next += clients;
            return new Arrival(SimTime.Zero + r.At, r.SizeBytes, r.Type);
        }
    }
}
