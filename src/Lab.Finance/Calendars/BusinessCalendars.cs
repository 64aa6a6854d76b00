namespace Lab.Finance.Calendars;

/// <summary>
/// The named calendars of scenarios/presets/calendars/*.yaml, built in (the YAML files are the
/// user-facing copy; a test keeps the two in step).
/// </summary>
public static class BusinessCalendars
{
    /// <summary>Shanghai/Shenzhen A-shares, 2026. Offset +08:00 (China has no DST).
    /// Holidays: State Council notice of 4 Nov 2025 on the 2026 holiday arrangement (国办发明电〔2025〕 via Xinhua);
    /// the exchanges close on the weekdays of each holiday and do not trade on make-up Saturdays/Sundays.
    /// Sessions: SSE continuous auction 09:30–11:30 and 13:00–15:00.</summary>
    public static BusinessCalendar China2026() => new()
    {
        Name = "cn",
        UtcOffset = TimeSpan.FromHours(8),
        Sessions = [new(new(9, 30), new(11, 30)), new(new(13, 0), new(15, 0))],
        Holidays = Dates(
            "2026-01-01", "2026-01-02",                                                   // New Year's Day
            "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23", // Spring Festival (15–23 Feb)
            "2026-04-06",                                                                 // Qingming (4–6 Apr)
            "2026-05-01", "2026-05-04", "2026-05-05",                                     // Labour Day (1–5 May)
            "2026-06-19",                                                                 // Dragon Boat Festival (19–21 Jun)
            "2026-09-25",                                                                 // Mid-Autumn Festival (25–27 Sep)
            "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"),        // National Day (1–7 Oct)
        AffirmationCutoff = new(17, 0),
        SettlementBatchAt = new(9, 0),
    };

    /// <summary>NYSE/Nasdaq, 2026, at −04:00 (EDT, in force 8 Mar–1 Nov 2026; use −05:00 for winter weeks).
    /// Holidays: NYSE holiday calendar 2026. Settlement-only holidays: Columbus Day and Veterans Day,
    /// Federal Reserve holidays on which the exchange trades but cash does not settle.
    /// Affirmation cut-off 21:00 ET on trade date (SEC rule 15c6-2, T+1 from 28 May 2024).</summary>
    public static BusinessCalendar UnitedStates2026() => new()
    {
        Name = "us",
        UtcOffset = TimeSpan.FromHours(-4),
        Sessions = [new(new(9, 30), new(16, 0))],
        Holidays = Dates(
            "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25",
            "2026-06-19", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25"),
        SettlementHolidays = Dates("2026-10-12", "2026-11-11"),
        AffirmationCutoff = new(21, 0),
        SettlementBatchAt = new(9, 0),
    };

    public static BusinessCalendar Named(string name) => name switch
    {
        "cn" => China2026(),
        "us" => UnitedStates2026(),
        _ => throw new KeyNotFoundException($"no built-in calendar '{name}' (known: cn, us)"),
    };

    public static HashSet<DateOnly> Dates(params string[] isoDates) =>
        isoDates.Select(s => DateOnly.ParseExact(s, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
}
