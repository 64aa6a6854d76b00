using Lab.Finance.Calendars;
using Lab.Sim.Time;

namespace Lab.Finance.Calendars;

/// <summary>
/// An office (a bank's credit desk, a claims department, an audit team) that works from <paramref name="open"/> to
/// <paramref name="close"/> local time on the calendar's business days. Manual work is counted in these hours:
/// eight hours of review that start at 16:00 on a Friday end on Monday afternoon.
/// </summary>
public sealed class OfficeHours(RunClock clock, BusinessCalendar calendar, TimeOnly open, TimeOnly close)
{
    /// <summary>09:00–17:00 (assumption: ordinary bank office hours).</summary>
    public OfficeHours(RunClock clock, BusinessCalendar calendar) : this(clock, calendar, new TimeOnly(9, 0), new TimeOnly(17, 0)) { }

    public TimeOnly Open => open;
    public TimeOnly Close => close;

    /// <summary>The instant <paramref name="workingSeconds"/> of desk time after <paramref name="fromNs"/>.</summary>
    public long After(long fromNs, double workingSeconds) => AfterNanos(fromNs, (long)Math.Round(Math.Max(0, workingSeconds) * 1e9));

    /// <summary>The instant <paramref name="workNs"/> nanoseconds of desk time after <paramref name="fromNs"/>.</summary>
    public long AfterNanos(long fromNs, long workNs)
    {
        var left = Math.Max(0, workNs);
        var day = clock.LocalDate(new SimTime(fromNs), calendar);
        var at = fromNs;
        for (int guard = 0; guard < 20_000; guard++, day = day.AddDays(1))
        {
            if (!calendar.IsBusinessDay(day)) continue;
            var opens = clock.NanosAt(day, Open, calendar);
            var closes = clock.NanosAt(day, Close, calendar);
            var start = Math.Max(at, opens);
            if (start >= closes) continue;
            if (start + left <= closes) return start + left;
            left -= closes - start;
        }
        throw new InvalidOperationException("office work runs past 50 years of business days");
    }

    /// <summary>Desk time between two instants: the working seconds of <c>(fromNs, toNs]</c> (the inverse of <see cref="After"/>).</summary>
    public double WorkingSeconds(long fromNs, long toNs)
    {
        long total = 0;
        var day = clock.LocalDate(new SimTime(Math.Max(0, fromNs)), calendar);
        for (int guard = 0; guard < 20_000; guard++, day = day.AddDays(1))
        {
            var opens = clock.NanosAt(day, Open, calendar);
            if (opens >= toNs) break;
            if (!calendar.IsBusinessDay(day)) continue;
            var closes = clock.NanosAt(day, Close, calendar);
            var start = Math.Max(fromNs, opens);
            var end = Math.Min(toNs, closes);
            if (end > start) total += end - start;
        }
        return total / 1e9;
    }
}
