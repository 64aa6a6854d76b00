using System.Globalization;

namespace Lab.Experiments.Values;

/// <summary>A size in bytes (<c>512B</c>, <c>1MB</c> = 10^6 bytes, <c>1MiB</c> = 2^20 bytes).</summary>
public readonly record struct Size(long Bytes)
{
    public override string ToString() => Bytes.ToString(CultureInfo.InvariantCulture) + "B";

    /// <summary>For people: <c>4 MiB</c>, <c>256 KiB</c>, <c>512 B</c> (powers of two, as limits are set).</summary>
    public static string Describe(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = bytes;
        var u = 0;
        while (v >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
        return v.ToString("0.#", CultureInfo.InvariantCulture) + " " + units[u];
    }
}

/// <summary>Events per second (<c>500/s</c>, <c>30/min</c>, <c>2/h</c>, <c>100/d</c>).</summary>
public readonly record struct Rate(double PerSecond)
{
    public override string ToString() => PerSecond.ToString("0.######", CultureInfo.InvariantCulture) + "/s";
}

/// <summary>An amount in a currency (<c>1000000 CNY</c>, <c>2.5M USD</c>). Decimal: money is never binary floating point.</summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    public override string ToString() => Amount.ToString(CultureInfo.InvariantCulture) + " " + Currency;
}

/// <summary>How requests arrive: a Poisson process or evenly spaced, at a total rate.</summary>
public sealed record Arrivals(string Process, Rate Rate)
{
    public override string ToString() => $"{Process}(rate: {Rate})";
}
