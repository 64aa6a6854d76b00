using Lab.Finance.Calendars;
using Lab.Sim.Time;

namespace Lab.Finance.CrossBorder;

/// <summary>
/// When a bank's payment desk works, on its <see cref="Calendar"/> (time zone, weekend, holidays): it takes
/// payments for same-day processing from <see cref="Open"/> to <see cref="CutOff"/> on business days, and its
/// staff (manual compliance review, crediting customers) work until <see cref="Close"/>, counted by
/// <see cref="OfficeHours"/>. A payment arriving after the cut-off, on a weekend or on a holiday waits for the
/// next business day's opening. Virtual time 0 is the instant <see cref="Start"/>.
/// </summary>
public sealed class BankHours
{
    private readonly RunClock _clock;
    private readonly OfficeHours _staff;

    public BankHours(RunClock clock, BusinessCalendar calendar, TimeOnly open, TimeOnly cutOff, TimeOnly close)
    {
        _clock = clock;
        Calendar = calendar;
        Open = open;
        CutOff = cutOff;
        Close = close;
        _staff = new OfficeHours(clock, calendar, open, close);
    }

    public BusinessCalendar Calendar { get; }
    public TimeOnly Open { get; }
    public TimeOnly CutOff { get; }
    public TimeOnly Close { get; }
    public DateTimeOffset Start => _clock.Start;

    public bool IsBusinessDay(DateOnly d) => Calendar.IsBusinessDay(d);

    /// <summary>Local wall-clock time at virtual time <paramref name="ns"/>.</summary>
    public DateTime Local(long ns) => _clock.Local(new SimTime(ns), Calendar);

    /// <summary>Virtual time of a local wall-clock time (may be negative before the start).</summary>
    public long At(DateOnly day, TimeOnly time) => _clock.NanosAt(day, time, Calendar);

    /// <summary>The earliest instant at or after <paramref name="ns"/> at which the bank takes a payment for
    /// processing: now if it is a business day between opening and cut-off, else the next business day's opening.</summary>
    public long NextIntake(long ns)
    {
        var local = Local(ns);
        var day = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        if (IsBusinessDay(day) && time >= Open && time < CutOff) return ns;
        if (!(IsBusinessDay(day) && time < Open)) day = Calendar.NextBusinessDay(day);
        return Math.Max(ns, At(day, Open));
    }

    /// <summary>The instant at which <paramref name="workNs"/> of staff time started at <paramref name="ns"/> ends,
    /// counting only business hours (opening to close on business days).</summary>
    public long AddWorkingTime(long ns, long workNs) => _staff.AfterNanos(ns, workNs);

    public void Validate(string bank)
    {
        if (!(Open < CutOff && CutOff <= Close)) throw new ArgumentException($"bank {bank}: needs opening < cut-off ≤ close (got {Open:HH\\:mm}, {CutOff:HH\\:mm}, {Close:HH\\:mm})");
        Calendar.Validate();
    }
}
