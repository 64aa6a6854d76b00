using Lab.Finance.Calendars;
using Lab.Sim.Randomness;

namespace Lab.Finance.Securities.Market;

/// <summary>A member cannot act (sign, instruct, deliver) from <paramref name="StartNs"/> to <paramref name="EndNs"/>.</summary>
public sealed record MemberOutage(int Member, long StartNs, long EndNs);

/// <summary>
/// Operational outages of members, drawn once per seed from their own stream ("securities.operations")
/// so every variant sees the same schedule: on each business day from the start to the horizon, each
/// member is out with the given chance, for the given length, starting at a uniform time of the local
/// day. Under T+n an outage that covers a delivery run makes the member's deliveries fail; on chain
/// the member cannot sign orders while it lasts, so they are rejected at entry.
/// </summary>
public sealed class OperationalOutages
{
    public const string StreamName = "securities.operations";

    private readonly MemberOutage[] _outages;

    private OperationalOutages(MemberOutage[] outages) => _outages = outages;

    public IReadOnlyList<MemberOutage> All => _outages;

    public static OperationalOutages None { get; } = new([]);

    /// <summary>Whether <paramref name="member"/> is out at <paramref name="atNs"/>.</summary>
    public bool IsOut(int member, long atNs)
    {
        foreach (var o in _outages)
            if (o.Member == member && o.StartNs <= atNs && atNs < o.EndNs) return true;
        return false;
    }

    public static OperationalOutages Draw(MarketOptions market, BusinessCalendar calendar, RunClock clock, long horizonNs, ulong seed)
    {
        if (market.OutagePerMemberDay <= 0) return None;
        var rng = SimRandom.Stream(seed, StreamName);
        var list = new List<MemberOutage>();
        var day = clock.LocalDate(Lab.Sim.Time.SimTime.Zero, calendar);
        for (; clock.MidnightNanos(day, calendar) < horizonNs; day = day.AddDays(1))
        {
            if (!calendar.IsBusinessDay(day)) continue;
            var midnight = clock.MidnightNanos(day, calendar);
            var length = clock.MidnightNanos(day.AddDays(1), calendar) - midnight;
            for (int m = 0; m < market.Members; m++)
            {
                if (rng.NextDouble() >= market.OutagePerMemberDay) continue;
                var start = midnight + (long)(rng.NextDouble() * length);
                list.Add(new MemberOutage(m, start, start + market.OutageLength.Nanos));
            }
        }
        return new OperationalOutages([.. list]);
    }
}
