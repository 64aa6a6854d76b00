namespace Lab.Finance.Calendars;

/// <summary>
/// How a market's local time relates to UTC, computed from rules (no operating-system time-zone
/// database: the lab runs with InvariantGlobalization, and a tz database would make results depend on
/// the machine). <see cref="FixedOffsetZone"/> for places without daylight saving (China),
/// <see cref="UsEasternTime"/> for New York.
/// </summary>
public abstract record TimeZoneRule
{
    /// <summary>Identifier as written in a calendar preset: "+08:00" or "America/New_York".</summary>
    public abstract string Id { get; }

    /// <summary>Offset from UTC in force at the UTC instant <paramref name="utc"/> (Kind ignored, read as UTC).</summary>
    public abstract TimeSpan OffsetAtUtc(DateTime utc);

    /// <summary>
    /// Offset for a local wall-clock time. In the spring-forward gap (02:00–03:00 in New York) the
    /// standard offset applies, so 02:30 maps to 03:30 daylight time; in the autumn overlap the first
    /// (daylight) occurrence is taken.
    /// </summary>
    public abstract TimeSpan OffsetAtLocal(DateTime local);

    /// <summary>The UTC instant of a local wall-clock time.</summary>
    public DateTimeOffset ToInstant(DateTime local) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), OffsetAtLocal(local));

    /// <summary>Local wall-clock time of an instant.</summary>
    public DateTime ToLocal(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return DateTime.SpecifyKind(utc + OffsetAtUtc(utc), DateTimeKind.Unspecified);
    }

    /// <summary>A rule by identifier: "+08:00"/"-05:00" style fixed offsets, or "America/New_York".</summary>
    public static TimeZoneRule Parse(string id)
    {
        if (id == UsEasternTime.ZoneId) return UsEasternTime.Instance;
        if (id == CentralEuropeanTime.ZoneId) return CentralEuropeanTime.Instance;
        if (NamedFixedZone.Known.TryGetValue(id, out var named)) return named;
        if (TimeSpan.TryParseExact(id.TrimStart('+', '-'), @"hh\:mm", System.Globalization.CultureInfo.InvariantCulture, out var span))
            return new FixedOffsetZone(id.StartsWith('-') ? -span : span);
        throw new ArgumentException($"unknown time zone '{id}' (known: a fixed offset such as +08:00, {string.Join(", ", KnownIds)})");
    }

    /// <summary>The IANA names <see cref="Parse"/> knows besides fixed offsets, in ordinal order.</summary>
    public static IReadOnlyList<string> KnownIds =>
        [.. NamedFixedZone.Known.Keys.Append(UsEasternTime.ZoneId).Append(CentralEuropeanTime.ZoneId).Order(StringComparer.Ordinal)];
}

/// <summary>
/// An IANA zone that has kept one offset for decades and has no daylight saving (rules of the IANA tz
/// database, 2025 release): Asia/Shanghai +08:00 (no DST since 1991), Asia/Hong_Kong +08:00 (since 1979),
/// Asia/Bangkok +07:00, Asia/Dubai +04:00, Asia/Singapore +08:00, Asia/Tokyo +09:00. Dates before those
/// years are not modelled.
/// </summary>
public sealed record NamedFixedZone(string Name, TimeSpan Offset) : TimeZoneRule
{
    public static readonly IReadOnlyDictionary<string, NamedFixedZone> Known = new SortedDictionary<string, NamedFixedZone>(StringComparer.Ordinal)
    {
        ["Asia/Shanghai"] = new("Asia/Shanghai", TimeSpan.FromHours(8)),
        ["Asia/Hong_Kong"] = new("Asia/Hong_Kong", TimeSpan.FromHours(8)),
        ["Asia/Singapore"] = new("Asia/Singapore", TimeSpan.FromHours(8)),
        ["Asia/Bangkok"] = new("Asia/Bangkok", TimeSpan.FromHours(7)),
        ["Asia/Dubai"] = new("Asia/Dubai", TimeSpan.FromHours(4)),
        ["Asia/Tokyo"] = new("Asia/Tokyo", TimeSpan.FromHours(9)),
    };

    public override string Id => Name;
    public override TimeSpan OffsetAtUtc(DateTime utc) => Offset;
    public override TimeSpan OffsetAtLocal(DateTime local) => Offset;
}

/// <summary>
/// Europe/Berlin (and the other CET zones): UTC+01:00, and UTC+02:00 (CEST) from 01:00 UTC on the last
/// Sunday of March to 01:00 UTC on the last Sunday of October (EU Directive 2000/84/EC, art. 2–3; the
/// change happens at the same UTC instant in every EU zone). Years before 1996 are not modelled.
/// </summary>
public sealed record CentralEuropeanTime : TimeZoneRule
{
    public const string ZoneId = "Europe/Berlin";
    public static readonly CentralEuropeanTime Instance = new();
    private static readonly TimeSpan Standard = TimeSpan.FromHours(1);
    private static readonly TimeSpan Summer = TimeSpan.FromHours(2);

    private CentralEuropeanTime() { }

    public override string Id => ZoneId;

    /// <summary>UTC instants at which summer time starts and ends in <paramref name="year"/> (both 01:00 UTC).</summary>
    public static (DateTime StartUtc, DateTime EndUtc) SummerPeriodUtc(int year)
    {
        if (year < 1996) throw new ArgumentOutOfRangeException(nameof(year), "EU summer-time rules before 1996 are not modelled");
        return (LastSunday(year, 3).AddHours(1), LastSunday(year, 10).AddHours(1));
    }

    public override TimeSpan OffsetAtUtc(DateTime utc)
    {
        var (start, end) = SummerPeriodUtc(utc.Year);
        return utc >= start && utc < end ? Summer : Standard;
    }

    public override TimeSpan OffsetAtLocal(DateTime local)
    {
        var (start, end) = SummerPeriodUtc(local.Year);
        // Local 02:00 CET jumps to 03:00 CEST: the gap [02:00, 03:00) is read as standard time (it maps past the jump);
        // local 03:00 CEST falls back to 02:00 CET: the overlap [02:00, 03:00) is read as summer time (the first occurrence).
        var startLocal = start + Standard;     // 02:00 local
        var endLocal = end + Summer;           // 03:00 local
        return local >= startLocal.AddHours(1) && local < endLocal ? Summer : Standard;
    }

    private static DateTime LastSunday(int year, int month)
    {
        var last = new DateTime(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)DayOfWeek.Sunday + 7) % 7));
    }
}

/// <summary>A zone without daylight saving: the same offset all year (China: +08:00).</summary>
public sealed record FixedOffsetZone(TimeSpan Offset) : TimeZoneRule
{
    public override string Id => (Offset < TimeSpan.Zero ? "-" : "+") + Offset.Duration().ToString(@"hh\:mm", System.Globalization.CultureInfo.InvariantCulture);
    public override TimeSpan OffsetAtUtc(DateTime utc) => Offset;
    public override TimeSpan OffsetAtLocal(DateTime local) => Offset;
}

/// <summary>
/// America/New_York: UTC−05:00 (EST), and UTC−04:00 (EDT) from 02:00 local on the second Sunday of
/// March to 02:00 local on the first Sunday of November (Energy Policy Act of 2005 §110, in force
/// since 2007). Years 1987–2006: first Sunday of April to last Sunday of October. Earlier years are
/// not modelled.
/// </summary>
public sealed record UsEasternTime : TimeZoneRule
{
    public const string ZoneId = "America/New_York";
    public static readonly UsEasternTime Instance = new();
    private static readonly TimeSpan Standard = TimeSpan.FromHours(-5);
    private static readonly TimeSpan Daylight = TimeSpan.FromHours(-4);

    private UsEasternTime() { }

    public override string Id => ZoneId;

    /// <summary>Local start and end of daylight time in <paramref name="year"/> (both at 02:00 local).</summary>
    public static (DateTime Start, DateTime End) DaylightPeriod(int year)
    {
        if (year < 1987) throw new ArgumentOutOfRangeException(nameof(year), "US daylight-saving rules before 1987 are not modelled");
        if (year >= 2007)
            return (NthSunday(year, 3, 2).AddHours(2), NthSunday(year, 11, 1).AddHours(2));
        return (NthSunday(year, 4, 1).AddHours(2), LastSunday(year, 10).AddHours(2));
    }

    public override TimeSpan OffsetAtUtc(DateTime utc)
    {
        var (start, end) = DaylightPeriod(utc.Year);
        // Transitions in UTC: 02:00 EST = 07:00 UTC (start), 02:00 EDT = 06:00 UTC (end).
        var startUtc = start - Standard;
        var endUtc = end - Daylight;
        return utc >= startUtc && utc < endUtc ? Daylight : Standard;
    }

    public override TimeSpan OffsetAtLocal(DateTime local)
    {
        var (start, end) = DaylightPeriod(local.Year);
        // Gap [02:00, 03:00) on the start day counts as standard time (so it maps past the jump);
        // overlap [01:00, 02:00) on the end day is read as daylight time (the first occurrence).
        return local >= start.AddHours(1) && local < end ? Daylight : Standard;
    }

    private static DateTime NthSunday(int year, int month, int n)
    {
        var first = new DateTime(year, month, 1);
        var offset = ((int)DayOfWeek.Sunday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + 7 * (n - 1));
    }

    private static DateTime LastSunday(int year, int month)
    {
        var last = new DateTime(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)DayOfWeek.Sunday + 7) % 7));
    }
}
