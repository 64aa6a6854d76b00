namespace Lab.Finance.Calendars;

/// <summary>
/// The named calendars of scenarios/presets/calendars/*.yaml, built in (the YAML files are the
/// user-facing copy; a test keeps the two in step).
/// </summary>
public static class BusinessCalendars
{
    /// <summary>Shanghai/Shenzhen A-shares, 2026, at +08:00 (China has no daylight saving).
    /// Holidays: State Council notice of 4 Nov 2025 on the 2026 holiday arrangement (via Xinhua); the exchanges close
    /// on the weekdays of each holiday and do not trade on make-up Saturdays/Sundays.
    /// Sessions: SSE Trading Rules (上海证券交易所交易规则), trading hours: opening call auction 09:15–09:25 (matched at 09:25), continuous
    /// trading 09:30–11:30 and 13:00–14:57, closing call auction 14:57–15:00 (SSE since 20 Aug 2018; SZSE since 2006).</summary>
    public static BusinessCalendar China2026() => new()
    {
        Name = "cn",
        Zone = new FixedOffsetZone(TimeSpan.FromHours(8)),
        OpeningAuction = new(9, 25),
        Sessions = [new(new(9, 30), new(11, 30)), new(new(13, 0), new(14, 57))],
        ClosingAuction = new(15, 0),
        Holidays = Dates(
            "2026-01-01", "2026-01-02",                                                   // New Year's Day
            "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23", // Spring Festival (15–23 Feb)
            "2026-04-06",                                                                 // Qingming (4–6 Apr)
            "2026-05-01", "2026-05-04", "2026-05-05",                                     // Labour Day (1–5 May)
            "2026-06-19",                                                                 // Dragon Boat Festival (19–21 Jun)
            "2026-09-25",                                                                 // Mid-Autumn Festival (25–27 Sep)
            "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"),        // National Day (1–7 Oct)
    };

    /// <summary>NYSE/Nasdaq, 2026, in America/New_York (EST/EDT computed, see <see cref="UsEasternTime"/>).
    /// Holidays and early closes: NYSE Group, "2026, 2027 and 2028 holiday and early closings calendar" (23 Dec 2025):
    /// 13:00 closes on Friday 27 Nov and Thursday 24 Dec 2026. Settlement-only holidays: Columbus Day and Veterans Day,
    /// Federal Reserve holidays on which the exchanges trade but cash does not settle. Opening and closing auctions at
    /// 09:30 and 16:00 (NYSE opening/closing auctions, Nasdaq opening/closing crosses).</summary>
    public static BusinessCalendar UnitedStates2026() => new()
    {
        Name = "us",
        Zone = UsEasternTime.Instance,
        OpeningAuction = new(9, 30),
        Sessions = [new(new(9, 30), new(16, 0))],
        ClosingAuction = new(16, 0),
        Holidays = Dates(
            "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25",
            "2026-06-19", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25"),
        SettlementHolidays = Dates("2026-10-12", "2026-11-11"),
        EarlyCloses = new Dictionary<DateOnly, TimeOnly>
        {
            [new DateOnly(2026, 11, 27)] = new(13, 0),
            [new DateOnly(2026, 12, 24)] = new(13, 0),
        },
    };

    /// <summary>Names of the built-in calendars.</summary>
    public static readonly IReadOnlyList<string> Known = ["cn", "us"];

    public static BusinessCalendar Named(string name) => name switch
    {
        "cn" => China2026(),
        "us" => UnitedStates2026(),
        _ => throw new KeyNotFoundException($"no built-in calendar '{name}' (known: {string.Join(", ", Known)})"),
    };

    public static HashSet<DateOnly> Dates(params string[] isoDates) =>
        isoDates.Select(s => DateOnly.ParseExact(s, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
}
