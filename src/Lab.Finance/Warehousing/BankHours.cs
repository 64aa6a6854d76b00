using Lab.Finance.Calendars;
using Lab.Sim.Time;

namespace Lab.Finance.Warehousing;

/// <summary>
/// A bank's credit desk works 09:00–17:00 local time on the calendar's business days (assumption: ordinary
/// Chinese bank office hours). Due diligence is counted in these working hours.
/// </summary>
public sealed class BankHours(RunClock clock, BusinessCalendar calendar)
{
    public static readonly TimeOnly Open = new(9, 0);
    public static readonly TimeOnly Close = new(17, 0);

    /// <summary>The instant <paramref name="workingSeconds"/> of desk time after <paramref name="fromNs"/>.</summary>
    public long After(long fromNs, double workingSeconds)
    {
        var left = (long)Math.Round(Math.Max(0, workingSeconds) * 1e9);
        var day = clock.LocalDate(new SimTime(fromNs), calendar);
        var at = fromNs;
        for (int guard = 0; guard < 20_000; guard++, day = day.AddDays(1))
        {
            if (!calendar.IsBusinessDay(day)) continue;
            var open = clock.NanosAt(day, Open, calendar);
            var close = clock.NanosAt(day, Close, calendar);
            var start = Math.Max(at, open);
            if (start >= close) continue;
            if (start + left <= close) return start + left;
            left -= close - start;
        }
        throw new InvalidOperationException("due diligence runs past 50 years of business days");
    }
}
