using System.Text.RegularExpressions;
using Lab.Finance.Calendars;
using Lab.Finance.Securities;
using Lab.Sim.Time;

namespace Lab.Finance.Tests;

public class BusinessCalendarTests
{
    private static readonly BusinessCalendar Cn = BusinessCalendars.China2026();
    private static readonly BusinessCalendar Us = BusinessCalendars.UnitedStates2026();

    [Fact]
    public void A_Friday_afternoon_trade_under_T_plus_1_settles_on_Monday()
    {
        var trade = new DateTime(2026, 6, 5, 14, 0, 0); // Friday 14:00 Beijing time
        var t = Cn.TradeDate(trade);
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
    public void A_trade_after_the_cut_off_counts_as_the_next_business_days_trade()
    {
        var late = new DateTime(2026, 6, 5, 15, 30, 0); // after the 15:00 close on a Friday
        Assert.Equal(new DateOnly(2026, 6, 8), Cn.TradeDate(late));
        Assert.Equal(new DateOnly(2026, 6, 9), Cn.SettlementDate(Cn.TradeDate(late), 1));
        Assert.Equal(new DateOnly(2026, 6, 5), Cn.TradeDate(late.AddHours(-1)));
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
    public void Virtual_time_zero_is_the_run_start_in_the_calendars_time_zone()
    {
        var clock = new RunClock(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8)));
        Assert.Equal(new DateTime(2026, 6, 1, 9, 30, 0), clock.Local(SimTime.Zero + Duration.FromHours(9.5), Cn));
        Assert.Equal(Duration.FromHours(9.5).Nanos, clock.NanosAt(new DateOnly(2026, 6, 1), new TimeOnly(9, 30), Cn));
        // New York at −04:00 is 12 hours behind Beijing.
        Assert.Equal(new DateTime(2026, 5, 31, 12, 0, 0), clock.Local(SimTime.Zero, Us));
    }

    [Theory]
    [InlineData("cn")]
    [InlineData("us")]
    public void The_preset_yaml_lists_the_same_holidays_as_the_built_in_calendar(string name)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "scenarios", "presets", "calendars", name + ".yaml"));
        var built = BusinessCalendars.Named(name);
        Assert.Equal(built.Holidays.OrderBy(d => d), DatesUnder(text, "holidays"));
        Assert.Equal(built.SettlementHolidays.OrderBy(d => d), DatesUnder(text, "settlement-holidays"));
    }

    [Fact]
    public void A_Friday_trade_in_the_full_T_plus_1_world_settles_at_Mondays_batch()
    {
        var start = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var clock = new RunClock(start);
        var fridayTwoPm = clock.NanosAt(new DateOnly(2026, 6, 5), new TimeOnly(14, 0), Cn);
        var tape = TradeTape.Of([new Trade(0, fridayTwoPm, 0, 1, 0, 100, 1000, fridayTwoPm + Duration.FromMinutes(10).Nanos, 0.5)], [1000]);
        var options = new SecuritiesOptions { Start = start, Market = new MarketOptions { Members = 2, Securities = 1, Trades = 1 } };
        var (_, _, results) = TestWorlds.Run(options, 1, tape: tape);
        var mondayBatch = clock.NanosAt(new DateOnly(2026, 6, 8), new TimeOnly(9, 0), Cn);
        Assert.Equal(1, results.Settled);
        // Settled at Monday 09:00 plus the CSD↔bank round trip (a few tens of ms).
        Assert.InRange(results.SettlementTimesS[0], (mondayBatch - fridayTwoPm) / 1e9, (mondayBatch - fridayTwoPm) / 1e9 + 1);
    }

    internal static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Lab.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("Lab.sln not found above the test binaries");
        return dir;
    }

    /// <summary>Dates listed under a top-level key (lines "  - 2026-01-01  # …" until the next key).</summary>
    private static List<DateOnly> DatesUnder(string yaml, string key)
    {
        var list = new List<DateOnly>();
        var inside = false;
        foreach (var line in yaml.Split('\n'))
        {
            if (Regex.IsMatch(line, @"^[A-Za-z-]+:")) inside = line.StartsWith(key + ":", StringComparison.Ordinal);
            else if (inside && Regex.Match(line, @"^\s*-\s*(\d{4}-\d{2}-\d{2})") is { Success: true } m)
                list.Add(DateOnly.ParseExact(m.Groups[1].Value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        return list.OrderBy(d => d).ToList();
    }
}
