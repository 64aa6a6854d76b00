using Lab.Finance.Calendars;

namespace Lab.Finance.Insurance;

/// <summary>The business clock of the scenario: the claims office's desk hours, the bank's payment hours and its daily batch.</summary>
public sealed class ClaimsCalendar
{
    private readonly RunClock _clock;
    private readonly BusinessCalendar _calendar = BusinessCalendars.China2026();
    private readonly TimeOnly _batch;

    public ClaimsCalendar(InsuranceOptions o)
    {
        _clock = new RunClock(o.Start);
        _batch = o.PaymentBatch;
        Office = new OfficeHours(_clock, _calendar, o.OfficeOpen, o.OfficeClose);
        Bank = new OfficeHours(_clock, _calendar, o.BankOpen, o.BankClose);
    }

    public OfficeHours Office { get; }
    public OfficeHours Bank { get; }

    /// <summary>The first daily payment batch at or after <paramref name="ns"/>: <see cref="InsuranceOptions.PaymentBatch"/> on a banking day.</summary>
    public long NextBatch(long ns)
    {
        var day = _clock.LocalDate(new Lab.Sim.Time.SimTime(ns), _calendar);
        for (int guard = 0; guard < 20_000; guard++, day = day.AddDays(1))
        {
            if (!_calendar.IsBusinessDay(day)) continue;
            var at = _clock.NanosAt(day, _batch, _calendar);
            if (at >= ns) return at;
        }
        throw new InvalidOperationException("no banking day in 50 years");
    }
}
