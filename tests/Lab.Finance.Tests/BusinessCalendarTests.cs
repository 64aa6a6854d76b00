using System.Text.RegularExpressions;
using Lab.Finance.Calendars;
using Lab.Sim.Time;

namespace Lab.Finance.Tests;

public class BusinessCalendarTests
{
    private static readonly BusinessCalendar Cn = BusinessCalendars.China2026();
    private static readonly BusinessCalendar Us = BusinessCalendars.UnitedStates2026();

    [Fact]
    public void A_Friday_afternoon_trade_under_T_plus_1_settles_on_Monday()
    {
        var t = Cn.TradeDate(new DateTime(2026, 6, 5, 14, 0, 0));
        Assert.Equal(new DateOnly(2026, 6, 5), t);
        Assert.Equal(new DateOnly(2026, 6, 8), Cn.SettlementDate(t, 1));
    }

    [Fact]
    public void A_Friday_trade_settles_on_Tuesday_when_Monday_is_a_holiday()
    {
        // Qingming 2026: Monday 6 April is a holiday in China; Martin Luther King Day: Monday 19 January in the US.
        Assert.Equal(new DateOnly(2026, 4, 7), Cn.SettlementDate(Cn.TradeDate(new DateTime(2026, 4, 3, 14, 0, 0)), 1));
        Assert.Equal(new DateOnly(2026, 1, 20), Us.SettlementDate(Us.TradeDate(new DateTime(2026, 1, 16, 15, 0, 0)), 1));
    }

    [Fact]
    public void A_trade_after_the_close_counts_as_the_next_business_days_trade_and_the_closing_auction_as_today()
    {
        Assert.Equal(new DateOnly(2026, 6, 5), Cn.TradeDate(new DateTime(2026, 6, 5, 15, 0, 0)));   // closing auction
        Assert.Equal(new DateOnly(2026, 6, 8), Cn.TradeDate(new DateTime(2026, 6, 5, 15, 30, 0)));
    }

    [Fact]
    public void The_Dragon_Boat_Friday_pushes_Thursdays_T_plus_1_to_Monday_and_US_bank_holidays_block_settlement_only()
    {
        Assert.Equal(new DateOnly(2026, 6, 22), Cn.SettlementDate(new DateOnly(2026, 6, 18), 1));
        Assert.True(Us.IsBusinessDay(new DateOnly(2026, 10, 12)));    // NYSE trades on Columbus Day…
        Assert.False(Us.IsSettlementDay(new DateOnly(2026, 10, 12))); // …but nothing settles
        Assert.Equal(new DateOnly(2026, 10, 13), Us.SettlementDate(new DateOnly(2026, 10, 9), 1));
        Assert.Equal(new DateOnly(2026, 6, 3), Cn.SettlementDate(new DateOnly(2026, 6, 1), 2));
        Assert.Equal(new DateOnly(2026, 6, 1), Cn.SettlementDate(new DateOnly(2026, 6, 1), 0));
    }

    [Fact]
    public void New_York_switches_to_daylight_time_on_8_March_2026_and_back_on_1_November()
    {
        var ny = UsEasternTime.Instance;
        Assert.Equal(TimeSpan.FromHours(-5), ny.OffsetAtUtc(new DateTime(2026, 3, 8, 6, 59, 0)));   // 01:59 EST
        Assert.Equal(TimeSpan.FromHours(-4), ny.OffsetAtUtc(new DateTime(2026, 3, 8, 7, 0, 0)));    // 03:00 EDT
        Assert.Equal(TimeSpan.FromHours(-4), ny.OffsetAtUtc(new DateTime(2026, 11, 1, 5, 59, 0)));  // 01:59 EDT
        Assert.Equal(TimeSpan.FromHours(-5), ny.OffsetAtUtc(new DateTime(2026, 11, 1, 6, 0, 0)));   // 01:00 EST again
        // The skipped hour maps forward; the repeated hour is read as its first (daylight) occurrence.
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 30, 0, TimeSpan.Zero), ny.ToInstant(new DateTime(2026, 3, 8, 2, 30, 0)));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero), ny.ToInstant(new DateTime(2026, 11, 1, 1, 30, 0)));
        // 1987–2006 rule: first Sunday of April to last Sunday of October.
        Assert.Equal((new DateTime(2006, 4, 2, 2, 0, 0), new DateTime(2006, 10, 29, 2, 0, 0)), UsEasternTime.DaylightPeriod(2006));
    }

    [Fact]
    public void The_New_York_open_is_14_30_UTC_in_winter_and_13_30_UTC_in_summer()
    {
        var clock = new RunClock(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(-5)));   // Monday 2 March, EST
        var friday = clock.NanosAt(new DateOnly(2026, 3, 6), new TimeOnly(9, 30), Us);
        var monday = clock.NanosAt(new DateOnly(2026, 3, 9), new TimeOnly(9, 30), Us);
        // Friday 09:30 EST to Monday 09:30 EDT is 3 days less the hour lost on Sunday.
        Assert.Equal(Duration.FromDays(3).Nanos - Duration.FromHours(1).Nanos, monday - friday);
        Assert.Equal(new DateTime(2026, 3, 9, 9, 30, 0), clock.Local(new SimTime(monday), Us));
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 13, 30, 0, TimeSpan.Zero), clock.Start.AddTicks(monday / 100).ToUniversalTime());
    }

    [Fact]
    public void The_day_after_Thanksgiving_closes_at_13_00_and_a_trade_after_that_counts_for_Monday()
    {
        var black = new DateOnly(2026, 11, 27);
        Assert.Equal([new TradingSession(new(9, 30), new(13, 0))], Us.SessionsOn(black));
        Assert.Equal(new TimeOnly(13, 0), Us.CloseOn(black));
        Assert.Equal(new TimeOnly(16, 0), Us.CloseOn(new DateOnly(2026, 11, 25)));
        Assert.Equal(new DateOnly(2026, 11, 30), Us.TradeDate(new DateTime(2026, 11, 27, 13, 30, 0)));
        Assert.Empty(Us.SessionsOn(new DateOnly(2026, 11, 26)));   // Thanksgiving
    }

    [Fact]
    public void Shanghai_matches_its_call_auctions_at_09_25_and_15_00_around_continuous_trading()
    {
        Assert.Equal(new TimeOnly(9, 25), Cn.OpenOn(new DateOnly(2026, 6, 1)));
        Assert.Equal(new TimeOnly(15, 0), Cn.CloseOn(new DateOnly(2026, 6, 1)));
        Assert.Equal(new TimeOnly(14, 57), Cn.Sessions[^1].Close);
    }

    [Theory]
    [InlineData("cn")]
    [InlineData("us")]
    public void The_preset_yaml_matches_the_built_in_calendar(string name)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "scenarios", "presets", "calendars", name + ".yaml"));
        var built = BusinessCalendars.Named(name);
        Assert.Equal(built.Holidays.OrderBy(d => d), DatesUnder(text, "holidays"));
        Assert.Equal(built.SettlementHolidays.OrderBy(d => d), DatesUnder(text, "settlement-holidays"));
        Assert.Equal(built.EarlyCloses.Keys.OrderBy(d => d), DatesUnder(text, "early-closes"));
        Assert.Matches($"(?m)^time-zone: \"?{Regex.Escape(built.Zone.Id)}\"?", text);
        Assert.Matches($"(?m)^closing-auction: \"{built.ClosingAuction:HH:mm}\"", text);
    }

    internal static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Lab.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("Lab.sln not found above the test binaries");
        return dir;
    }

    /// <summary>Dates listed under a top-level key (lines "  - 2026-01-01  # …" or "  - { date: 2026-11-27, … }" until the next key).</summary>
    internal static List<DateOnly> DatesUnder(string yaml, string key)
    {
        var list = new List<DateOnly>();
        var inside = false;
        foreach (var line in yaml.Split('\n'))
        {
            if (Regex.IsMatch(line, @"^[A-Za-z-]+:")) inside = line.StartsWith(key + ":", StringComparison.Ordinal);
            else if (inside && Regex.Match(line, @"^\s*-\s*(\{\s*date:\s*)?(\d{4}-\d{2}-\d{2})") is { Success: true } m)
                list.Add(DateOnly.ParseExact(m.Groups[2].Value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        return list.OrderBy(d => d).ToList();
    }
}
