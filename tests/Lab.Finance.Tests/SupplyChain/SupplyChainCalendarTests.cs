using Lab.Finance.Calendars;
using Lab.Finance.SupplyChain;

namespace Lab.Finance.Tests.SupplyChain;

/// <summary>Supply-chain finance on China's 2026 business calendar: banks work 09:00–17:00 on business days.</summary>
public class SupplyChainCalendarTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Start = new(2026, 3, 30, 0, 0, 0, Beijing);   // a Monday

    private static SupplyChainOptions OnCalendar(FinancingFlow flow) =>
        SupplyChainWorldTests.Small(flow) with { Calendar = BusinessCalendars.China2026(), Start = Start };

    private static long At(int month, int day, int hour, int minute = 0) =>
        (new DateTimeOffset(2026, month, day, hour, minute, 0, Beijing) - Start).Ticks * 100;

    [Fact]
    public void A_discount_request_on_the_Friday_evening_before_Qingming_is_read_from_Tuesdays_opening()
    {
        var plan = SupplyChainPlan.Generate(OnCalendar(FinancingFlow.Paper), 11);
        var friday = At(4, 3, 20);   // Monday 6 April is the Qingming holiday
        Assert.Equal(At(4, 7, 9), plan.DeskTime(friday));
        // Half a desk day of due diligence (drawn 0.5 days) ends Tuesday 13:00; a bank that says yes pays then.
        var claim = plan.Claims.First(c => plan.Payables[c.Payable].MaturityNs > At(5, 1, 0)) with { FirstDueDiligenceS = 43_200, FirstUniform = 0.999 };
        Assert.Equal((true, At(4, 7, 13)), plan.PaperDecision(claim, 0, friday));
        // Without a calendar the same request is answered twelve hours later, on Saturday morning.
        var continuous = SupplyChainPlan.Generate(SupplyChainWorldTests.Small(FinancingFlow.Paper) with { Start = Start }, 11);
        Assert.Equal((true, At(4, 4, 8)), continuous.PaperDecision(claim, 0, friday));
        Assert.Equal(friday, continuous.DeskTime(friday));
    }

    [Theory]
    [InlineData(FinancingFlow.Paper)]
    [InlineData(FinancingFlow.Voucher)]
    public void Every_funding_and_every_payment_of_a_run_falls_in_desk_hours_on_a_business_day(FinancingFlow flow)
    {
        var options = OnCalendar(flow);
        var (spec, _, r) = SupplyChainWorldTests.Run(options, 11);
        var clock = new RunClock(Start);
        var calendar = options.Calendar!;
        var observer = spec.Observers.OfType<SupplyChainObserver>().Single();
        var funded = observer.Outcomes.Values.Where(o => o.FundedAtNs is not null).Select(o => o.FundedAtNs!.Value).ToList();
        Assert.NotEmpty(funded);
        foreach (var ns in funded.Concat(observer.PaidAt.Values))
        {
            var local = clock.Local(new Lab.Sim.Time.SimTime(ns), calendar);
            Assert.True(calendar.IsBusinessDay(DateOnly.FromDateTime(local)), $"{local} is not a business day");
            // Decisions and calls are made in desk hours; the message or the chain's finality may take a few seconds more.
            Assert.InRange(TimeOnly.FromDateTime(local), new TimeOnly(9, 0), new TimeOnly(17, 1));
        }
        Assert.Equal(0, r.ConservationViolations);
    }
}
