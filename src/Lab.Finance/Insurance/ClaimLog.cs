using Lab.Finance.Calendars;

namespace Lab.Finance.Insurance;

/// <summary>How a claim went: paper from the start, automatically or via manual review on chain, or on paper after
/// the chain refused it for missing consent.</summary>
public enum ClaimRoute { None, Paper, OnChainAutomatic, OnChainReview, PaperAfterRefusal }

/// <summary>What happened to one visit's claim, written by the institutions that handled it.</summary>
public sealed class ClaimRecord
{
    /// <summary>When the claim started: the paper filing, or on chain the visit record leaving the hospital.</summary>
    public long FiledNs = -1;
    public long PaidNs = -1;
    public long PaidFen;
    public ClaimRoute Route;
    /// <summary>Manual touches: data entry, reviews, document chases.</summary>
    public int Touches;
    public bool Chased;
    /// <summary>On chain: the contract's refusal, and whether the insurer verified the record against the anchored root.</summary>
    public string? Refusal;
    public bool? EvidenceVerified;
}

/// <summary>The records of a run, one per visit of the <see cref="InsuranceBook"/>, shared by the institutions of one run.</summary>
public sealed class ClaimLog(int count)
{
    public ClaimRecord[] Records { get; } = [.. Enumerable.Range(0, count).Select(_ => new ClaimRecord())];
}

/// <summary>The business clock of the scenario: the claims office's desk hours, the bank's payment hours and its daily batch.</summary>
public sealed class ClaimsCalendar
{
    private readonly RunClock _clock;
    private readonly BusinessCalendar _calendar = BusinessCalendars.China2026();
    private readonly TimeOnly _batch;

    public ClaimsCalendar(InsuranceOptions o)
    {
        _clock = new RunClock(o.Start);
        _batch = o.PaymentBatch;
        Office = new OfficeHours(_clock, _calendar, o.OfficeOpen, o.OfficeClose);
        Bank = new OfficeHours(_clock, _calendar, o.BankOpen, o.BankClose);
    }

    public OfficeHours Office { get; }
    public OfficeHours Bank { get; }

    /// <summary>The first daily payment batch at or after <paramref name="ns"/>: <see cref="InsuranceOptions.PaymentBatch"/> on a banking day.</summary>
    public long NextBatch(long ns)
    {
        var day = _clock.LocalDate(new Lab.Sim.Time.SimTime(ns), _calendar);
        for (int guard = 0; guard < 20_000; guard++, day = day.AddDays(1))
        {
            if (!_calendar.IsBusinessDay(day)) continue;
            var at = _clock.NanosAt(day, _batch, _calendar);
            if (at >= ns) return at;
        }
        throw new InvalidOperationException("no banking day in 50 years");
    }
}
