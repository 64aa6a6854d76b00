namespace Lab.Finance.Calendars;

/// <summary>
/// When a market works, in its own time zone: continuous-trading sessions, call auctions, weekends,
/// public holidays, early closes, and days on which nothing settles although the exchange trades.
/// A business day is a weekday that is not a holiday; a settlement day is a business day that is not
/// also a settlement-only holiday (e.g. US bank holidays on which the exchange is open). The times of
/// the settlement cycle (night cycle, money settlement, affirmation cut-off) belong to the settlement
/// regime, not to the calendar.
/// </summary>
public sealed record BusinessCalendar
{
    public required string Name { get; init; }
    /// <summary>The market's time zone, computed from rules (see <see cref="TimeZoneRule"/>).</summary>
    public required TimeZoneRule Zone { get; init; }
    /// <summary>Continuous-trading sessions in local time, in order (SSE: 09:30–11:30, 13:00–14:57).</summary>
    public required IReadOnlyList<TradingSession> Sessions { get; init; }
    /// <summary>Opening call auction: orders collected before, all matched at one price at this local time (null: none).</summary>
    public TimeOnly? OpeningAuction { get; init; }
    /// <summary>Closing call auction, matched at this local time (null: none). On an early-close day it is matched at the early close.</summary>
    public TimeOnly? ClosingAuction { get; init; }
    public IReadOnlySet<DayOfWeek> Weekend { get; init; } = new HashSet<DayOfWeek> { DayOfWeek.Saturday, DayOfWeek.Sunday };
    /// <summary>Days the market is closed (weekday closures; weekend days need not be listed).</summary>
    public IReadOnlySet<DateOnly> Holidays { get; init; } = new HashSet<DateOnly>();
    /// <summary>Extra days on which nothing settles although the exchange may trade.</summary>
    public IReadOnlySet<DateOnly> SettlementHolidays { get; init; } = new HashSet<DateOnly>();
    /// <summary>Days on which trading ends early, with the local closing time (NYSE: 13:00 the day after Thanksgiving).</summary>
    public IReadOnlyDictionary<DateOnly, TimeOnly> EarlyCloses { get; init; } = new Dictionary<DateOnly, TimeOnly>();

    public bool IsBusinessDay(DateOnly d) => !Weekend.Contains(d.DayOfWeek) && !Holidays.Contains(d);
    public bool IsSettlementDay(DateOnly d) => IsBusinessDay(d) && !SettlementHolidays.Contains(d);

    public DateOnly NextBusinessDay(DateOnly d)
    {
        do d = d.AddDays(1); while (!IsBusinessDay(d));
        return d;
    }

    public DateOnly NextSettlementDay(DateOnly d)
    {
        do d = d.AddDays(1); while (!IsSettlementDay(d));
        return d;
    }

    /// <summary>The continuous sessions of <paramref name="d"/>, cut at the early close if it has one (empty on non-business days).</summary>
    public IReadOnlyList<TradingSession> SessionsOn(DateOnly d)
    {
        if (!IsBusinessDay(d)) return [];
        if (!EarlyCloses.TryGetValue(d, out var close)) return Sessions;
        return Sessions.Where(s => s.Open < close).Select(s => s.Close > close ? s with { Close = close } : s).ToList();
    }

    /// <summary>Local time trading opens on <paramref name="d"/>: the opening auction if there is one, else the first session.</summary>
    public TimeOnly OpenOn(DateOnly d) => OpeningAuction is { } a && a < Sessions[0].Open ? a : Sessions[0].Open;

    /// <summary>Local time trading ends on <paramref name="d"/>: the closing auction, the early close, or the last session's close.</summary>
    public TimeOnly CloseOn(DateOnly d)
    {
        if (EarlyCloses.TryGetValue(d, out var early)) return early;
        var last = Sessions[^1].Close;
        return ClosingAuction is { } a && a > last ? a : last;
    }

    /// <summary>Trade date T of a trade executed at <paramref name="local"/>: that day if it is a business day and
    /// at or before the day's close, otherwise the next business day.</summary>
    public DateOnly TradeDate(DateTime local)
    {
        var day = DateOnly.FromDateTime(local);
        if (IsBusinessDay(day) && TimeOnly.FromDateTime(local) <= CloseOn(day)) return day;
        return NextBusinessDay(day);
    }

    /// <summary>T+n: the n-th settlement day after trade date <paramref name="tradeDate"/> (n = 0: the trade date
    /// itself if it is a settlement day, else the next one).</summary>
    public DateOnly SettlementDate(DateOnly tradeDate, int n)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), "settlement cycle T+n needs n ≥ 0");
        var d = tradeDate;
        if (n == 0) return IsSettlementDay(d) ? d : NextSettlementDay(d);
        for (int i = 0; i < n; i++) d = NextSettlementDay(d);
        return d;
    }

    /// <summary>Total length of the continuous sessions of a full business day.</summary>
    public TimeSpan TradingDayLength => Sessions.Aggregate(TimeSpan.Zero, (s, x) => s + (x.Close - x.Open));

    public void Validate()
    {
        if (Sessions.Count == 0) throw new ArgumentException($"calendar {Name}: at least one trading session");
        for (int i = 0; i < Sessions.Count; i++)
        {
            if (Sessions[i].Close <= Sessions[i].Open) throw new ArgumentException($"calendar {Name}: session {i + 1} closes before it opens");
            if (i > 0 && Sessions[i].Open < Sessions[i - 1].Close) throw new ArgumentException($"calendar {Name}: sessions overlap");
        }
        if (OpeningAuction is { } o && o > Sessions[0].Open) throw new ArgumentException($"calendar {Name}: the opening auction must match at or before the first session opens");
        if (ClosingAuction is { } c && c < Sessions[^1].Close) throw new ArgumentException($"calendar {Name}: the closing auction must match at or after the last session closes");
        if (Weekend.Count >= 7) throw new ArgumentException($"calendar {Name}: every day is a weekend");
    }
}

/// <summary>A continuous-trading session in local time.</summary>
public readonly record struct TradingSession(TimeOnly Open, TimeOnly Close);
