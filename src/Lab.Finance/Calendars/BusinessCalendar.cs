namespace Lab.Finance.Calendars;

/// <summary>
/// When a market works: a fixed UTC offset (no daylight saving; pick the offset in force for the
/// simulated week), trading sessions, weekends, public holidays, and the cut-offs of the daily
/// cycle. A business day is a weekday that is not a holiday; a settlement day is a business day
/// that is not also a settlement-only holiday (e.g. US bank holidays on which the exchange is open).
/// </summary>
public sealed record BusinessCalendar
{
    public required string Name { get; init; }
    /// <summary>Fixed offset from UTC, e.g. +08:00 for China (no DST there), −04:00 for New York in summer.</summary>
    public required TimeSpan UtcOffset { get; init; }
    /// <summary>Continuous-trading sessions in local time, in order (SSE/SZSE: 09:30–11:30, 13:00–15:00).</summary>
    public required IReadOnlyList<TradingSession> Sessions { get; init; }
    public IReadOnlySet<DayOfWeek> Weekend { get; init; } = new HashSet<DayOfWeek> { DayOfWeek.Saturday, DayOfWeek.Sunday };
    /// <summary>Days the market is closed (weekday closures; weekend days need not be listed).</summary>
    public IReadOnlySet<DateOnly> Holidays { get; init; } = new HashSet<DateOnly>();
    /// <summary>Extra days on which nothing settles although the exchange may trade.</summary>
    public IReadOnlySet<DateOnly> SettlementHolidays { get; init; } = new HashSet<DateOnly>();
    /// <summary>A trade at or after this local time counts as the next business day's trade (default: end of the last session).</summary>
    public TimeOnly? TradeCutoff { get; init; }
    /// <summary>Affirmations received by this local time join that day's netting cycle
    /// (DTCC under T+1: 21:00 ET on trade date).</summary>
    public TimeOnly AffirmationCutoff { get; init; } = new(21, 0);
    /// <summary>Local time of the settlement batch on the settlement date.</summary>
    public TimeOnly SettlementBatchAt { get; init; } = new(9, 0);

    public TimeOnly EffectiveTradeCutoff => TradeCutoff ?? Sessions[^1].Close;

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

    /// <summary>Trade date T of a trade executed at <paramref name="local"/>: that day if it is a business day and
    /// before the cut-off, otherwise the next business day.</summary>
    public DateOnly TradeDate(DateTime local)
    {
        var day = DateOnly.FromDateTime(local);
        if (IsBusinessDay(day) && TimeOnly.FromDateTime(local) < EffectiveTradeCutoff) return day;
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

    /// <summary>Total length of the trading sessions of one business day.</summary>
    public TimeSpan TradingDayLength => Sessions.Aggregate(TimeSpan.Zero, (s, x) => s + (x.Close - x.Open));

    public void Validate()
    {
        if (Sessions.Count == 0) throw new ArgumentException($"calendar {Name}: at least one trading session");
        for (int i = 0; i < Sessions.Count; i++)
        {
            if (Sessions[i].Close <= Sessions[i].Open) throw new ArgumentException($"calendar {Name}: session {i + 1} closes before it opens");
            if (i > 0 && Sessions[i].Open < Sessions[i - 1].Close) throw new ArgumentException($"calendar {Name}: sessions overlap");
        }
        if (Weekend.Count >= 7) throw new ArgumentException($"calendar {Name}: every day is a weekend");
    }
}

/// <summary>A continuous-trading session in local time.</summary>
public readonly record struct TradingSession(TimeOnly Open, TimeOnly Close);
