using System.Globalization;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Experiments.Values;

/// <summary>
/// Parses values with units. Each method returns null on success or a message saying what is wrong
/// and what to write instead.
/// </summary>
public static class Units
{
    public static string? Duration(string text, out Duration value)
    {
        if (!Sim.Time.Duration.TryParse(text, out value, out var error)) return error;
        return null;
    }

    private static readonly (string Unit, long Bytes)[] SizeUnits =
        [("B", 1), ("kB", 1000), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000),
         ("KiB", 1024), ("MiB", 1024 * 1024), ("GiB", 1024L * 1024 * 1024)];

    public static string? Size(string text, out Size value)
    {
        value = default;
        var (number, unit) = Split(text);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            return $"'{text}' is not a size: expected e.g. 512B, 4KB or 1MB";
        if (unit.Length == 0) return $"'{text}' has no unit: write e.g. {number}B or {number}KB";
        foreach (var (u, b) in SizeUnits)
        {
            if (u != unit) continue;
            if (n < 0) return $"a size cannot be negative, got '{text}'";
            var bytes = n * b;
            if (bytes > int.MaxValue) return $"'{text}' is too large: at most 2GB per value";
            value = new Size((long)Math.Round(bytes));
            return null;
        }
        return $"'{unit}' is not a size unit: use B, KB, MB, GB, KiB, MiB or GiB";
    }

    public static string? Bandwidth(string text, out Bandwidth value) =>
        Sim.Network.Bandwidth.TryParse(text, out value, out var error) ? null : error;

    private static readonly (string Unit, double Seconds)[] RateUnits =
        [("/s", 1), ("/min", 60), ("/h", 3600), ("/d", 86400)];

    public static string? Rate(string text, out Rate value)
    {
        value = default;
        var s = text.Trim();
        var slash = s.IndexOf('/');
        if (slash < 0) return $"'{text}' is not a rate: write e.g. 500/s, 30/min or 100/d";
        if (!double.TryParse(s[..slash].Replace("_", "").Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            return $"'{text}' is not a rate: write e.g. 500/s, 30/min or 100/d";
        var unit = "/" + s[(slash + 1)..].Trim();
        foreach (var (u, sec) in RateUnits)
        {
            if (u != unit) continue;
            if (n < 0) return $"a rate cannot be negative, got '{text}'";
            if (double.IsInfinity(n) || n > 1e12) return $"'{text}' is too large: at most 10^12 per second";
            value = new Rate(n / sec);
            return null;
        }
        return $"'{unit}' is not a rate unit: use /s, /min, /h or /d";
    }

    public static string? Money(string text, out Money value)
    {
        value = default;
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2) return $"'{text}' is not an amount of money: write e.g. 1000000 CNY or 2.5M USD";
        var number = parts[0].Replace("_", "");
        decimal scale = 1;
        if (number.EndsWith('k') || number.EndsWith('K')) { scale = 1_000; number = number[..^1]; }
        else if (number.EndsWith('M')) { scale = 1_000_000; number = number[..^1]; }
        else if (number.EndsWith('B')) { scale = 1_000_000_000; number = number[..^1]; }
        if (!decimal.TryParse(number, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
            return $"'{text}' is not an amount of money: write e.g. 1000000 CNY or 2.5M USD";
        var currency = parts[1];
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            return $"'{currency}' is not a currency code: use three capital letters such as CNY, USD, EUR, HKD";
        try { value = new Money(amount * scale, currency); }
        catch (OverflowException) { return $"'{text}' is too large"; }
        return null;
    }

    /// <summary>A probability: <c>0.01</c> or <c>1%</c>, in [0, 1].</summary>
    public static string? Probability(string text, out double value)
    {
        var s = text.Trim();
        var percent = s.EndsWith('%');
        if (percent) s = s[..^1];
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || double.IsNaN(value))
            return $"'{text}' is not a probability: write e.g. 0.01 or 1%";
        if (percent) value /= 100;
        if (value is < 0 or > 1) return $"a probability must be between 0 and 1 (0% and 100%), got '{text}'";
        return null;
    }

    /// <summary>A multiplier such as <c>5x</c> or <c>2.5</c>.</summary>
    public static string? Factor(string text, out double value)
    {
        var s = text.Trim().TrimEnd('x', '×');
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || double.IsNaN(value) || double.IsInfinity(value))
            return $"'{text}' is not a factor: write e.g. 5x";
        return null;
    }

    public static string? Integer(string text, out long value)
    {
        var s = text.Trim().Replace("_", "");
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)) return null;
        if (s.Length > 0 && s.TrimStart('-', '+').All(char.IsAsciiDigit)) return $"'{text}' is too large for a whole number";
        return $"'{text}' is not a whole number";
    }

    public static string? Number(string text, out double value)
    {
        var s = text.Trim().Replace("_", "");
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value))
            return double.IsInfinity(value) ? $"'{text}' is too large" : null;
        return $"'{text}' is not a number";
    }

    private static (string Number, string Unit) Split(string text)
    {
        var s = text.Trim();
        int i = 0;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] is '.' or '-' or '+' or '_')) i++;
        return (s[..i].Replace("_", ""), s[i..].Trim());
    }
}
