using System.Globalization;
using System.Text.RegularExpressions;
using Lab.Finance.Securities.Regimes;

namespace Lab.Finance.Tests;

public class SettlementRegimeTests
{
    [Theory]
    [InlineData("us-cns")]
    [InlineData("cn-chinaclear")]
    [InlineData("t2")]
    [InlineData("t0")]
    public void The_preset_yaml_states_the_built_in_regimes_timings(string name)
    {
        var text = File.ReadAllText(Path.Combine(BusinessCalendarTests.RepoRoot(), "scenarios", "presets", "regimes", name + ".yaml"));
        var r = SettlementRegimes.Named(name);
        r.Validate();
        // The value after "key:", without a trailing comment or surrounding quotes.
        string Value(string key) => Regex.Match(text, $"(?m)^{Regex.Escape(key)}:[ ]*([^#\\n]*)").Groups[1].Value.Trim().Trim('"');
        Assert.Equal(r.Market, Value("market"));
        Assert.Equal($"T+{r.CycleDays}", Value("cycle"));
        Assert.Equal(r.SecuritiesDays.ToString(CultureInfo.InvariantCulture), Value("securities-days"));
        Assert.Equal(r.NightBefore ? "true" : "false", Value("night-before"));
        Assert.Equal(r.DeliveryRunAt.ToString("HH:mm", CultureInfo.InvariantCulture), Value("delivery-run-at"));
        Assert.Equal(r.MoneyAt.ToString("HH:mm", CultureInfo.InvariantCulture), Value("money-at"));
        Assert.Equal(r.FrontEndControl ? "true" : "false", Value("front-end-control"));
        Assert.Equal(r.BuyInAfterDays.ToString(CultureInfo.InvariantCulture), Value("buy-in-after"));
        Assert.Equal(r.Cover.ToString(CultureInfo.InvariantCulture), Value("cover"));
        Assert.Equal(r.LiquidationDays.ToString(CultureInfo.InvariantCulture), Value("liquidation-days"));
        Assert.Equal(r.EndOfDayAt.ToString("HH:mm", CultureInfo.InvariantCulture), Value("end-of-day-at"));
        if (r.AffirmationCutoff is { } cut) Assert.Contains($"at: \"{cut:HH:mm}\"", Value("affirmation-cutoff"));
        else Assert.Equal("null", Value("affirmation-cutoff"));
        if (r.DayCycle is { } dc) Assert.Contains($"until: \"{dc.Until:HH:mm}\"", Value("day-cycle"));
        else Assert.Equal("null", Value("day-cycle"));
    }

    [Fact]
    public void China_has_no_affirmation_step_and_settles_securities_before_funds_while_the_US_moves_both_on_S()
    {
        var cn = SettlementRegimes.CnChinaClear();
        var us = SettlementRegimes.UsCns();
        Assert.False(cn.HasInstitutionalFlow);
        Assert.True(us.HasInstitutionalFlow);
        Assert.True(cn.SecuritiesDays < cn.CycleDays);     // BIS model 2 timing: securities T, cash T+1
        Assert.Equal(us.SecuritiesDays, us.CycleDays);     // model 3: both on S, securities from the night before
        Assert.True(us.NightBefore && !cn.NightBefore);
        Assert.True(cn.FrontEndControl && !us.FrontEndControl);
    }
}
