using Lab.Finance.Calendars;

namespace Lab.Finance.CrossBorder;

/// <summary>
/// When a bank's payment desk works, in its own time zone: it takes payments for same-day processing from
/// <see cref="Open"/> to <see cref="CutOff"/> on business days, and its staff (manual compliance review,
/// crediting customers) work until <see cref="Close"/>. A payment arriving after the cut-off, on a weekend or
/// on a holiday waits for the next business day's opening. Virtual time 0 is the instant <see cref="Start"/>.
/// </summary>
public sealed record BankHours(DateTimeOffset Start, TimeZoneRule Zone, TimeOnly Open, TimeOnly CutOff, TimeOnly Close)
{
    /// <summary>Days without business (default Saturday and Sunday: the UAE moved to a Saturday–Sunday weekend on 1 Jan 2022).</summary>
    public IReadOnlySet<DayOfWeek> Weekend { get; init; } = new HashSet<DayOfWeek> { DayOfWeek.Saturday, DayOfWeek.Sunday };
    public IReadOnlySet<DateOnly> Holidays { get; init; } = new HashSet<DateOnly>();

    public bool IsBusinessDay(DateOnly d) => !Weekend.Contains(d.DayOfWeek) && !Holidays.Contains(d);

    /// <summary>Local wall-clock time at virtual time <paramref name="ns"/>.</summary>
    public DateTime Local(long ns) => Zone.ToLocal(Start.AddTicks(ns / 100));

    /// <summary>Virtual time of a local wall-clock time (may be negative before the start).</summary>
    public long At(DateOnly day, TimeOnly time) => checked((Zone.ToInstant(day.ToDateTime(time)) - Start).Ticks * 100);

    /// <summary>The earliest instant at or after <paramref name="ns"/> at which the bank takes a payment for
    /// processing: now if it is a business day between opening and cut-off, else the next business day's opening.</summary>
    public long NextIntake(long ns)
    {
        var local = Local(ns);
        var day = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        if (IsBusinessDay(day) && time >= Open && time < CutOff) return ns;
        if (!(IsBusinessDay(day) && time < Open)) day = NextBusinessDay(day);
        return Math.Max(ns, At(day, Open));
    }

    /// <summary>The instant at which <paramref name="workNs"/> of staff time started at <paramref name="ns"/> ends,
    /// counting only business hours (opening to close on business days).</summary>
    public long AddWorkingTime(long ns, long workNs)
    {
        var t = ns;
        var left = workNs;
        for (int guard = 0; guard < 10_000; guard++)
        {
            var local = Local(t);
            var day = DateOnly.FromDateTime(local);
            var time = TimeOnly.FromDateTime(local);
            if (!IsBusinessDay(day) || time >= Close) { t = Math.Max(t, At(NextBusinessDay(day), Open)); continue; }
            if (time < Open) { t = At(day, Open); continue; }
            var close = At(day, Close);
            if (t + left <= close) return t + left;
            left -= close - t;
            t = At(NextBusinessDay(day), Open);
        }
        throw new InvalidOperationException("working time does not end within 10,000 days");
    }

    public DateOnly NextBusinessDay(DateOnly d)
    {
        do d = d.AddDays(1); while (!IsBusinessDay(d));
        return d;
    }

    public void Validate(string bank)
    {
        if (Weekend.Count >= 7) throw new ArgumentException($"bank {bank}: every day is a weekend");
        if (!(Open < CutOff && CutOff <= Close)) throw new ArgumentException($"bank {bank}: needs opening < cut-off ≤ close (got {Open:HH\\:mm}, {CutOff:HH\\:mm}, {Close:HH\\:mm})");
    }
}
