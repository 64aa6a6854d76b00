using System.Globalization;
using Lab.Sim.Time;

namespace Lab.Sim.Network;

/// <summary>A link or port capacity in bits per second. <see cref="Unlimited"/> means no transmission delay.</summary>
public readonly record struct Bandwidth(double BitsPerSecond)
{
    public static readonly Bandwidth Unlimited = new(double.PositiveInfinity);
    public bool IsUnlimited => double.IsPositiveInfinity(BitsPerSecond);

    public static Bandwidth Mbps(double v) => new(v * 1e6);
    public static Bandwidth Gbps(double v) => new(v * 1e9);

    /// <summary>Time to put <paramref name="bytes"/> on the wire.</summary>
    public Duration TransmissionTime(int bytes) =>
        IsUnlimited || bytes <= 0 ? Duration.Zero : Duration.FromNanos((long)Math.Ceiling(bytes * 8.0 * 1e9 / BitsPerSecond));

    public static Bandwidth Min(Bandwidth a, Bandwidth b) => a.BitsPerSecond <= b.BitsPerSecond ? a : b;

    private static readonly (string Unit, double Factor)[] Units =
        [("bps", 1), ("kbps", 1e3), ("Kbps", 1e3), ("Mbps", 1e6), ("Gbps", 1e9), ("Tbps", 1e12),
         ("B/s", 8), ("kB/s", 8e3), ("KB/s", 8e3), ("MB/s", 8e6), ("GB/s", 8e9)];

    /// <summary>Parses <c>100Mbps</c>, <c>1Gbps</c>, <c>12.5MB/s</c>, <c>unlimited</c>.</summary>
    public static bool TryParse(string? text, out Bandwidth value, out string? error)
    {
        value = Unlimited; error = null;
        var s = (text ?? "").Trim();
        if (s is "unlimited" or "infinite") return true;
        int i = 0;
        while (i < s.Length && (char.IsDigit(s[i]) || s[i] is '.' or '_')) i++;
        var unit = s[i..].Trim();
        if (!double.TryParse(s[..i].Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        { error = $"'{s}' is not a bandwidth: expected e.g. 100Mbps, 1Gbps or 12.5MB/s"; return false; }
        foreach (var (u, f) in Units)
            if (u == unit)
            {
                if (n <= 0) { error = $"bandwidth must be positive, got '{s}'"; return false; }
                value = new Bandwidth(n * f); return true;
            }
        error = unit.Length == 0
            ? $"'{s}' has no unit: write e.g. {s}Mbps"
            : $"'{unit}' is not a bandwidth unit: use bps, kbps, Mbps, Gbps, B/s, kB/s, MB/s or GB/s";
        return false;
    }

    public override string ToString() => IsUnlimited ? "unlimited"
        : BitsPerSecond >= 1e9 ? (BitsPerSecond / 1e9).ToString("0.###", CultureInfo.InvariantCulture) + "Gbps"
        : BitsPerSecond >= 1e6 ? (BitsPerSecond / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + "Mbps"
        : (BitsPerSecond / 1e3).ToString("0.###", CultureInfo.InvariantCulture) + "kbps";
}
