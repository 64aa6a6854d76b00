using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Finance.Abs;

/// <summary>How the deal's parties learn of loan events and the waterfall: monthly servicer reports reconciled by hand, or one deal contract on chain.</summary>
public enum AbsReporting { Traditional, OnChain }

/// <summary>The terms of the notes and the priority of payments (all rates annual, shares of the initial pool).</summary>
public sealed record DealTerms
{
    /// <summary>Class shares of the initial pool; the subordinated class is the rest (SCENARIOS.md: China's first blockchain exchange ABS, 2017: 85% / 6% / 9%).</summary>
    public double SeniorAShare { get; init; } = 0.85;
    public double SeniorBShare { get; init; } = 0.06;
    public double CouponA { get; init; } = 0.048;
    public double CouponB { get; init; } = 0.058;
    /// <summary>Servicing and trustee/custodian fees, per year on the pool balance at the period start (senior fees).</summary>
    public double ServicingFee { get; init; } = 0.008;
    public double TrusteeFee { get; init; } = 0.0005;
    /// <summary>Reserve account target as a share of the senior notes (A + B) outstanding; funded in full at closing by the originator.</summary>
    public double ReserveShare { get; init; } = 0.01;
    /// <summary>Overcollateralisation (par value) test: (pool balance + principal proceeds of the period) / (A + B) must stay at or above this.</summary>
    public double OcTrigger { get; init; } = 1.05;
    /// <summary>Interest coverage test: interest collections / (senior fees + A and B interest) must stay at or above this.</summary>
    public double IcTrigger { get; init; } = 1.10;
    /// <summary>Cumulative defaults / initial pool above this switches principal to sequential.</summary>
    public double CumulativeLossTrigger { get; init; } = 0.02;
}

/// <summary>
/// An asset-backed securities deal (issue 14 §1). Every default is sourced (SCENARIOS.md §2: RMB 400M, 85/6/9) or
/// labelled an assumption in the schema key that sets it (AbsModel).
/// </summary>
public sealed record AbsOptions
{
    /// <summary>Calendar instant of virtual time 0: the cut-off date, the first day of the first collection period (+08:00).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
    public AbsReporting Reporting { get; init; } = AbsReporting.Traditional;
    public int Investors { get; init; } = 8;

    public int Loans { get; init; } = 4000;
    /// <summary>Pool principal at the cut-off, whole CNY; drawn loan sizes are scaled to sum to it.</summary>
    public long PoolCny { get; init; } = 400_000_000;
    /// <summary>Relative loan size (scaled to <see cref="PoolCny"/>).</summary>
    public Distribution LoanSize { get; init; } = new LogNormal(Math.Log(100_000), 0.5);
    /// <summary>Annual loan rate, a fraction.</summary>
    public Distribution LoanRate { get; init; } = new Uniform(0.08, 0.14);
    /// <summary>Remaining term at the cut-off, months.</summary>
    public Distribution TermMonths { get; init; } = new Uniform(12, 36);
    /// <summary>Conditional prepayment rate, annual (full prepayments).</summary>
    public double Cpr { get; init; } = 0.10;
    /// <summary>Monthly chance a current loan misses its instalment (enters 30 days past due).</summary>
    public double MissRate { get; init; } = 0.02;
    /// <summary>Monthly chance a delinquent loan pays all its arrears.</summary>
    public double CureRate { get; init; } = 0.45;
    /// <summary>Missed instalments at which a loan is charged off as defaulted (4: at 120 days past due, after 30/60/90+).</summary>
    public int DefaultAfterMissed { get; init; } = 4;
    public double RecoveryRate { get; init; } = 0.40;
    public int RecoveryLagMonths { get; init; } = 6;
    public int Periods { get; init; } = 12;

    public DealTerms Terms { get; init; } = new();
    /// <summary>Face value of one unit (Chinese ABS: 100 CNY).</summary>
    public long UnitFaceCny { get; init; } = 100;
    /// <summary>Day of the month after a collection period on which investors are paid (following business day).</summary>
    public int PaymentDay { get; init; } = 26;

    /// <summary>Traditional: servicer desk seconds (09:00–17:00 business days) after period end until its monthly report is out.</summary>
    public double ServicerReportS { get; init; } = 5 * 8 * 3600;
    /// <summary>Traditional: trustee desk seconds to compute the waterfall from the report.</summary>
    public Distribution TrusteeWaterfallS { get; init; } = new LogNormal(Math.Log(8 * 3600), 0.4);
    /// <summary>Traditional: each party's desk seconds to reconcile the trustee's report against its own books.</summary>
    public Distribution ReconcileS { get; init; } = new LogNormal(Math.Log(6 * 3600), 0.6);
    /// <summary>Traditional: chance a party's reconciliation of a period goes wrong unnoticed (found at its next reconciliation).</summary>
    public double ReconcileErrorRate { get; init; } = 0.05;

    /// <summary>Unit trades per month between investors.</summary>
    public double TradesPerMonth { get; init; } = 20;
    /// <summary>Share of the seller's holding of a class sold in one trade.</summary>
    public double TradeShare { get; init; } = 0.2;
    /// <summary>Traditional: registrar desk seconds from a trade to the register's update.</summary>
    public Distribution RegistrarS { get; init; } = new LogNormal(Math.Log(16 * 3600), 0.5);

    /// <summary>On chain: the servicer posts the loan events of each interval as one batch.</summary>
    public Duration PostInterval { get; init; } = Duration.FromHours(1);
    public int EventBytes { get; init; } = 64;
    public Duration CpuPerEvent { get; init; } = Duration.FromMicros(20);
    /// <summary>On chain: seal the borrower-level tape and each unit trade's record for their collections and derive the who-can-read matrix (<see cref="AbsPrivacy"/>).</summary>
    public bool Privacy { get; init; } = true;
}
