using Lab.Finance.Calendars;
using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Finance.SupplyChain;

/// <summary>Which flow a run uses: paper acceptances and receivables, or split-and-pass vouchers on a consortium chain.</summary>
public enum FinancingFlow { Paper, Voucher }

/// <summary>
/// Supply-chain finance (issue 13 §2). Amounts are in minor units of <see cref="Currency"/> (fen). Every default
/// below is an assumption unless its comment names a source; the model's key reference repeats the same.
/// </summary>
public sealed record SupplyChainOptions
{
    public FinancingFlow Flow { get; init; } = FinancingFlow.Paper;
    public string Currency { get; init; } = "CNY";

    /// <summary>Suppliers per tier, tier 1 first (tier 1 sells to the core). Assumption: [10, 30, 60, 120].</summary>
    public IReadOnlyList<int> Tiers { get; init; } = [10, 30, 60, 120];
    /// <summary>Banks that discount receivables. Assumption: 4.</summary>
    public int Banks { get; init; } = 4;

    /// <summary>Payables the core confirms over <see cref="IssueWindow"/>.</summary>
    public int Payables { get; init; } = 200;
    public Duration IssueWindow { get; init; } = Duration.FromDays(30);
    /// <summary>Face value per payable in currency units (not minor units).</summary>
    public Distribution Face { get; init; } = new LogNormal(13.8, 1.0);
    /// <summary>Term from confirmation to payment. Assumption: 180 days (a six-month commercial acceptance).</summary>
    public Duration Maturity { get; init; } = Duration.FromDays(180);

    /// <summary>Share of a received piece a holder passes on to its own suppliers (paying for inputs).</summary>
    public double PassShare { get; init; } = 0.6;
    /// <summary>Next-tier suppliers a holder pays with the passed share (at most the tier's count).</summary>
    public int FanOut { get; init; } = 2;
    /// <summary>Delay from receiving a piece to passing part of it on (seconds).</summary>
    public Distribution PassDelay { get; init; } = new Exponential(5 * 86400.0);
    /// <summary>Share of holders that want cash before maturity for what they keep.</summary>
    public double FinancingDemand { get; init; } = 0.8;
    /// <summary>Delay from receiving a piece to asking a bank for cash (seconds).</summary>
    public Distribution NeedDelay { get; init; } = new Exponential(3 * 86400.0);

    /// <summary>Annual discount rate banks charge against the core's credit (the voucher's rate at every tier).</summary>
    public double CoreRate { get; init; } = 0.035;
    /// <summary>Chance that a holder who seeks financing tries to finance the same receivable with a second bank too.</summary>
    public double DoubleFinancing { get; init; } = 0.002;

    /// <summary>Paper: annual rate by tier (tier 1 discounts the core's acceptance; higher tiers borrow on their own credit).</summary>
    public IReadOnlyList<double> PaperRate { get; init; } = [0.035, 0.065, 0.08, 0.09];
    /// <summary>Paper: a bank's chance to reject a supplier after due diligence, by tier.</summary>
    public IReadOnlyList<double> PaperRejection { get; init; } = [0.01, 0.5, 0.7, 0.85];
    /// <summary>Paper: median days of a bank's due diligence, by tier (lognormal, σ 0.5).</summary>
    public IReadOnlyList<double> PaperDueDiligenceDays { get; init; } = [2, 10, 15, 20];
    /// <summary>Paper: a tier pays its suppliers this long after it is paid itself (trade credit down the chain).</summary>
    public Duration PaperPaymentLag { get; init; } = Duration.FromDays(30);

    /// <summary>The business calendar of the banks and the core's treasury (time zone, weekends, holidays); null: none,
    /// every party works around the clock. With one, a bank's due diligence and discounting are desk work in
    /// <see cref="DeskOpens"/>–<see cref="DeskCloses"/> on business days, and payments are made on banking days.</summary>
    public BusinessCalendar? Calendar { get; init; }
    /// <summary>Calendar instant of virtual time 0 (meaningful with a <see cref="Calendar"/>).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
    /// <summary>Banks' desk hours, local time. Assumption: ordinary bank office hours.</summary>
    public TimeOnly DeskOpens { get; init; } = new(9, 0);
    public TimeOnly DeskCloses { get; init; } = new(17, 0);

    /// <summary>The banks' desk on <see cref="Calendar"/>; null without one.</summary>
    public OfficeHours? Desk() => Calendar is null ? null : new OfficeHours(new RunClock(Start), Calendar, DeskOpens, DeskCloses);

    /// <summary>On chain: CPU per voucher call on every replica, beyond the runtime's per-call charge.</summary>
    public Duration CpuPerCall { get; init; } = Duration.FromMicros(30);
    public int TransactionBytes { get; init; } = 400;

    /// <summary>The last moment anything happens: last issue + maturity + the paper payment lags up the tiers, plus a day,
    /// plus, with a calendar, the longest closure in that span (a payment due on its first day waits it out).</summary>
    public Duration Horizon
    {
        get
        {
            var span = IssueWindow + Maturity + PaperPaymentLag * Math.Max(0, Tiers.Count - 1) + Duration.FromDays(1);
            return Calendar is null ? span : span + Duration.FromDays(LongestClosureDays(span));
        }
    }

    private int LongestClosureDays(Duration span)
    {
        var first = DateOnly.FromDateTime(Calendar!.Zone.ToLocal(Start));
        int longest = 0, run = 0;
        for (var d = first; d <= first.AddDays((int)Math.Ceiling(span.TotalSeconds / 86_400)); d = d.AddDays(1))
            longest = Math.Max(longest, run = Calendar.IsBusinessDay(d) ? 0 : run + 1);
        return longest;
    }

    public void Validate()
    {
        if (Tiers.Count == 0) throw new ArgumentException("at least one tier of suppliers");
        if (Tiers.Any(t => t < 1)) throw new ArgumentException("every tier needs at least one supplier");
        foreach (var (name, list) in new[] { ("rate", PaperRate), ("rejection", PaperRejection), ("due diligence", PaperDueDiligenceDays) })
            if (list.Count < Tiers.Count) throw new ArgumentException($"paper {name} needs one value per tier ({Tiers.Count}), got {list.Count}");
        if (Banks < 2) throw new ArgumentException("at least two banks (double financing needs a second)");
        if (FanOut < 1) throw new ArgumentException("fan-out must be at least 1");
        if (DeskCloses <= DeskOpens) throw new ArgumentException("banks' desks must close after they open");
    }
    /// <summary>Vouchers: seal each passed piece's trade record for its collection and derive the who-can-read matrix (<see cref="SupplyChainPrivacy"/>).</summary>
    public bool Privacy { get; init; } = true;
}
