using System.Globalization;
using Lab.Sim.Time;

namespace Lab.Finance.Calendars;

/// <summary>
/// Maps virtual time to calendar time: virtual time 0 is the instant <see cref="Start"/> (e.g.
/// 2026-06-01T00:00+08:00), and local time in a calendar is that instant in the calendar's zone
/// (daylight saving included).
/// </summary>
public sealed record RunClock(DateTimeOffset Start)
{
    public DateTime Local(SimTime t, BusinessCalendar calendar) => calendar.Zone.ToLocal(Start.AddTicks(t.Nanos / 100));

    /// <summary>The local date and time at <paramref name="t"/> in <paramref name="zone"/> for people to read, with its UTC offset:
    /// "Fri 5 Jun 2026, 09:56:17 UTC−4".</summary>
    public string Label(SimTime t, TimeZoneRule zone)
    {
        var instant = Start.AddTicks(t.Nanos / 100);
        var offset = zone.OffsetAtUtc(instant.UtcDateTime);
        var sign = offset < TimeSpan.Zero ? "−" : "+";
        var utc = offset.Minutes == 0 ? $"UTC{sign}{Math.Abs(offset.Hours)}" : $"UTC{sign}{offset:hh\\:mm}";
        return zone.ToLocal(instant).ToString("ddd d MMM yyyy, HH:mm:ss", CultureInfo.InvariantCulture) + " " + utc;
    }

    /// <summary>The virtual time of a local date and time in <paramref name="calendar"/> (may be negative before the start).</summary>
    public long NanosAt(DateOnly date, TimeOnly time, BusinessCalendar calendar)
    {
        var instant = calendar.Zone.ToInstant(date.ToDateTime(time));
        return checked((instant - Start).Ticks * 100);
    }

    public SimTime At(DateOnly date, TimeOnly time, BusinessCalendar calendar)
    {
        var ns = NanosAt(date, time, calendar);
        if (ns < 0) throw new ArgumentOutOfRangeException(nameof(date), $"{date} {time} is before the run start {Start}");
        return new SimTime(ns);
    }

    public DateOnly LocalDate(SimTime t, BusinessCalendar calendar) => DateOnly.FromDateTime(Local(t, calendar));

    /// <summary>Virtual time of local midnight at the start of <paramref name="date"/>.</summary>
    public long MidnightNanos(DateOnly date, BusinessCalendar calendar) => NanosAt(date, TimeOnly.MinValue, calendar);
}
