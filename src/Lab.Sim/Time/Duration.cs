using System.Globalization;

namespace Lab.Sim.Time;

/// <summary>A span of virtual time, in integer nanoseconds. Never a wall-clock span.</summary>
public readonly record struct Duration(long Nanos) : IComparable<Duration>
{
    public static readonly Duration Zero = new(0);
    public static readonly Duration MaxValue = new(long.MaxValue);

    public static Duration FromNanos(long ns) => new(ns);
    public static Duration FromMicros(double us) => FromUnits(us, 1_000);
    public static Duration FromMillis(double ms) => FromUnits(ms, 1_000_000);
    public static Duration FromSeconds(double s) => FromUnits(s, 1_000_000_000);
    public static Duration FromMinutes(double m) => FromUnits(m, 60_000_000_000);
    public static Duration FromHours(double h) => FromUnits(h, 3_600_000_000_000);
    public static Duration FromDays(double d) => FromUnits(d, 86_400_000_000_000);

    private static Duration FromUnits(double value, long nanosPerUnit)
    {
        var ns = Math.Round(value * nanosPerUnit);
        if (double.IsNaN(ns) || ns > long.MaxValue || ns < long.MinValue)
            throw new OverflowException($"duration {value} × {nanosPerUnit} ns does not fit in 64-bit nanoseconds");
        return new Duration((long)ns);
    }

    public double TotalSeconds => Nanos / 1e9;
    public double TotalMilliseconds => Nanos / 1e6;
    public bool IsNegative => Nanos < 0;

    public static Duration operator +(Duration a, Duration b) => new(checked(a.Nanos + b.Nanos));
    public static Duration operator -(Duration a, Duration b) => new(checked(a.Nanos - b.Nanos));
    public static Duration operator *(Duration a, long k) => new(checked(a.Nanos * k));
    public static Duration operator *(Duration a, double k) => FromNanos(checked((long)Math.Round(a.Nanos * k)));
    public static Duration operator /(Duration a, long k) => new(a.Nanos / k);
    public static bool operator <(Duration a, Duration b) => a.Nanos < b.Nanos;
    public static bool operator >(Duration a, Duration b) => a.Nanos > b.Nanos;
    public static bool operator <=(Duration a, Duration b) => a.Nanos <= b.Nanos;
    public static bool operator >=(Duration a, Duration b) => a.Nanos >= b.Nanos;
    public static Duration Min(Duration a, Duration b) => a.Nanos <= b.Nanos ? a : b;
    public static Duration Max(Duration a, Duration b) => a.Nanos >= b.Nanos ? a : b;

    public int CompareTo(Duration other) => Nanos.CompareTo(other.Nanos);

    private static readonly (string Suffix, long Nanos)[] Units =
    [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("min", 60_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000), ("d", 86_400_000_000_000),
        ("w", 604_800_000_000_000),
    ];

    /// <summary>Parses <c>250ms</c>, <c>2s</c>, <c>1.5h</c>, <c>1d</c>, <c>90us</c>, <c>0</c>.</summary>
    public static bool TryParse(string? text, out Duration value, out string? error)
    {
        value = Zero;
        error = null;
        var s = text?.Trim() ?? "";
        if (s.Length == 0) { error = "expected a duration such as 250ms, 2s, 1.5h or 1d"; return false; }
        if (s == "0") return true;
        int i = 0;
        while (i < s.Length && (char.IsDigit(s[i]) || s[i] is '.' or '-' or '+' or '_')) i++;
        var number = s[..i].Replace("_", "");
        var unit = s[i..].Trim();
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        { error = $"'{s}' is not a duration: expected a number followed by a unit (ns, us, ms, s, min, h, d, w)"; return false; }
        if (unit.Length == 0) { error = $"'{s}' has no unit: write e.g. {number}ms or {number}s"; return false; }
        foreach (var (suffix, ns) in Units)
        {
            if (unit != suffix) continue;
            var total = n * ns;
            if (double.IsInfinity(total) || Math.Abs(total) > long.MaxValue / 2)
            { error = $"'{s}' is too large (at most about 146 years)"; return false; }
            value = new Duration((long)Math.Round(total));
            return true;
        }
        error = $"'{unit}' is not a time unit: use ns, us, ms, s, min, h, d or w";
        return false;
    }

    public static Duration Parse(string text) =>
        TryParse(text, out var d, out var error) ? d : throw new FormatException(error);

    /// <summary>Shortest exact text in the largest unit that divides it (round-trips through <see cref="Parse"/>).</summary>
    public override string ToString()
    {
        if (Nanos == 0) return "0s";
        foreach (var (suffix, ns) in new[] { ("d", 86_400_000_000_000L), ("h", 3_600_000_000_000L), ("min", 60_000_000_000L), ("s", 1_000_000_000L), ("ms", 1_000_000L), ("us", 1_000L) })
            if (Nanos % ns == 0) return (Nanos / ns).ToString(CultureInfo.InvariantCulture) + suffix;
        return Nanos.ToString(CultureInfo.InvariantCulture) + "ns";
    }
}
