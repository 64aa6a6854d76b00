using System.Globalization;
using System.Text;
using Lab.Consensus.Workload;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Experiments.Yaml;
using Lab.Sim.Time;

namespace Lab.Experiments.Values;

/// <summary>
/// Reads a workload trace, CSV with lines <c>time,size[,type]</c>: time in seconds from the start of
/// the run (<c>1.5</c>) or with a unit (<c>250ms</c>), from 0 to <see cref="KeyType.MaxSeconds"/> and never
/// going backwards; size a whole number of bytes from 1 to 2^31 − 1; type any text (default <c>tx</c>).
/// An optional header <c>time,size,type</c>, blank lines and <c>#</c> comments may appear anywhere (also
/// before the header). Every problem is reported at its own file:line:col, under the key that names the file.
/// </summary>
public static class TraceFile
{
    /// <summary>The trace, or null after reporting what is wrong with it.</summary>
    public static TraceArrivals? Read(string path, ValueContext ctx)
    {
        var display = ctx.Files.Display(path);
        byte[] bytes;
        try { bytes = ctx.Files.ReadData(path); }
        catch (InputFileException e)
        {
            ctx.Error(new SourceMark(display, 1, 1), $"trace {e.Message}");
            return null;
        }
        string text;
        try { text = new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException)
        {
            ctx.Error(new SourceMark(display, 1, 1), "the trace is not UTF-8 text (is it a binary file?)");
            return null;
        }
        var before = ctx.Diagnostics.Count;
        void Error(int line, int col, string message) => ctx.Error(new SourceMark(display, line, col), message);
        var records = new List<TraceRecord>();
        var seenData = false;
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var content = line.Trim();
            if (content.Length == 0 || content.StartsWith('#')) continue;
            var cols = line.Split(',');
            if (!seenData && IsHeader(cols)) { seenData = true; continue; }
            seenData = true;
            if (cols.Length is < 2 or > 3)
            {
                Error(i + 1, 1, $"expected time,size,type (e.g. 0.5,512,payment), got '{Clip(content)}'");
                continue;
            }
            var timeCol = 1 + cols[0].Length - cols[0].TrimStart().Length;
            var sizeCol = cols[0].Length + 2 + cols[1].Length - cols[1].TrimStart().Length;
            var timeText = cols[0].Trim();
            Duration at = default;
            string? timeError = null;
            if (double.TryParse(timeText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                if (!double.IsFinite(seconds) || seconds < 0 || seconds > KeyType.MaxSeconds)
                    timeError = $"time '{Clip(timeText)}' is not a time from 0 to {Duration.FromSeconds(KeyType.MaxSeconds)} after the start";
                else at = Duration.FromSeconds(seconds);
            }
            else if (Units.Duration(timeText, out at) is { } unitError) timeError = $"time: {unitError}";
            else if (at.IsNegative || at.TotalSeconds > KeyType.MaxSeconds)
                timeError = $"time '{Clip(timeText)}' is not a time from 0 to {Duration.FromSeconds(KeyType.MaxSeconds)} after the start";
            if (timeError is not null) Error(i + 1, timeCol, timeError);
            var sizeText = cols[1].Trim();
            var sizeOk = int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0;
            if (!sizeOk) Error(i + 1, sizeCol, $"size '{Clip(sizeText)}' is not a whole number of bytes from 1 to {int.MaxValue}");
            if (timeError is not null || !sizeOk) continue;
            if (records.Count > 0 && at < records[^1].At)
            {
                Error(i + 1, timeCol, $"times must not go backwards ({Clip(timeText)} after {records[^1].At})");
                continue;
            }
            records.Add(new TraceRecord(at, size, cols.Length > 2 && cols[2].Trim().Length > 0 ? cols[2].Trim() : "tx"));
        }
        return ctx.Diagnostics.Count > before ? null : new TraceArrivals(records);
    }

    private static bool IsHeader(string[] cols) =>
        cols.Length is 2 or 3 && cols[0].Trim().Equals("time", StringComparison.OrdinalIgnoreCase) && cols[1].Trim().Equals("size", StringComparison.OrdinalIgnoreCase)
        && (cols.Length == 2 || cols[2].Trim().Equals("type", StringComparison.OrdinalIgnoreCase));

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
