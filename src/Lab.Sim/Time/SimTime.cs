using System.Globalization;

namespace Lab.Sim.Time;

/// <summary>A point in virtual time: integer nanoseconds since the start of the run.</summary>
public readonly record struct SimTime(long Nanos) : IComparable<SimTime>
{
    public static readonly SimTime Zero = new(0);
    public static readonly SimTime MaxValue = new(long.MaxValue);

    public double Seconds => Nanos / 1e9;

    public static SimTime operator +(SimTime t, Duration d) => new(Saturating(t.Nanos, d.Nanos));
    public static SimTime operator -(SimTime t, Duration d) => new(checked(t.Nanos - d.Nanos));
    public static Duration operator -(SimTime a, SimTime b) => new(checked(a.Nanos - b.Nanos));
    public static bool operator <(SimTime a, SimTime b) => a.Nanos < b.Nanos;
    public static bool operator >(SimTime a, SimTime b) => a.Nanos > b.Nanos;
    public static bool operator <=(SimTime a, SimTime b) => a.Nanos <= b.Nanos;
    public static bool operator >=(SimTime a, SimTime b) => a.Nanos >= b.Nanos;
    public static SimTime Min(SimTime a, SimTime b) => a.Nanos <= b.Nanos ? a : b;
    public static SimTime Max(SimTime a, SimTime b) => a.Nanos >= b.Nanos ? a : b;

    public int CompareTo(SimTime other) => Nanos.CompareTo(other.Nanos);

    // "Never" is MaxValue; adding to it must stay "never" rather than overflow.
    private static long Saturating(long a, long b)
    {
        if (a == long.MaxValue || b == long.MaxValue) return long.MaxValue;
        return checked(a + b);
    }

    public override string ToString() => Nanos == long.MaxValue
        ? "never"
        : (Nanos / 1e9).ToString("0.#########", CultureInfo.InvariantCulture) + "s";
}
