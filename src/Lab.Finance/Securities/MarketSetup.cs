using Lab.Finance.Calendars;
using Lab.Finance.Securities.Clearing;
using Lab.Finance.Securities.Market;
using Lab.Finance.Securities.Regimes;

namespace Lab.Finance.Securities;

/// <summary>
/// Everything about one run that every institution may read and nobody changes: the market's rules
/// and calendar, names, prices, balance sheets, the order tape, the outage schedule, the account map,
/// and the run's horizon. Built once per run by <see cref="SecuritiesWorld"/>.
/// </summary>
public sealed record MarketSetup
{
    public required MarketRules Rules { get; init; }
    public required MarketNames Names { get; init; }
    public required RunClock Clock { get; init; }
    public required PricePath Prices { get; init; }
    public required BalanceSheet Sheet { get; init; }
    public required TradeTape Tape { get; init; }
    public required OperationalOutages Outages { get; init; }
    /// <summary>Virtual time after which institutions stop planning new cycles.</summary>
    public required long HorizonNs { get; init; }
    public AccountMap Accounts => new(Names.Members);
    public BusinessCalendar Calendar => Rules.Calendar;
    public int Members => Names.Members;
    public int Securities => Names.Securities;

    /// <summary>Local trade date of a virtual time.</summary>
    public DateOnly TradeDate(long atNs) => Calendar.TradeDate(Clock.Local(new Lab.Sim.Time.SimTime(atNs), Calendar));
    public DateOnly LocalDate(long atNs) => Clock.LocalDate(new Lab.Sim.Time.SimTime(atNs), Calendar);
    public long At(DateOnly day, TimeOnly time) => Clock.NanosAt(day, time, Calendar);
}

/// <summary>What a deferred-net run needs beyond the market: the regime and the operational and funding parameters.</summary>
public sealed record ClearingSetup
{
    public required SettlementRegime Regime { get; init; }
    /// <summary>Chance that a member's settlement instruction for a short position fails on a given day (wrong or
    /// missing instruction, position held elsewhere): the delivery is not made that day. An atomic venue has no such
    /// step. DTCC's CNS fail rate after T+1 was about 2% by value (DTCC, 30 May 2024).</summary>
    public double InstructionFailRate { get; init; } = 0.015;
    /// <summary>Chance that a borrow request finds lendable shares (hard-to-borrow otherwise), and the delay before borrowed
    /// shares arrive (business hours; a request made at night is served the next morning).</summary>
    public double BorrowAvailability { get; init; } = 0.9;
    public Lab.Sim.Time.Duration BorrowDelay { get; init; } = Lab.Sim.Time.Duration.FromHours(1);
    /// <summary>Agent lenders' pool per security, as a share of the members' opening holdings of it.</summary>
    public double LendableShare { get; init; } = 0.2;
    /// <summary>The CCP's committed liquidity facility (minor units): what it can borrow to pay out when a member has not paid.</summary>
    public long LiquidityFacility { get; init; } = long.MaxValue / 4;
    /// <summary>Members declared in default by the scenario (an outside event such as a parent's insolvency), with the time.</summary>
    public IReadOnlyList<(int Member, long AtNs)> InjectedDefaults { get; init; } = [];
}
