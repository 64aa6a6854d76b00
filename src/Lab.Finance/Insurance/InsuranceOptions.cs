using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Finance.Insurance;

/// <summary>How claims are made: the customer files on paper (the traditional baseline), or the visit record flows
/// from the hospital through the health commission and the data exchange to the claims contract on chain.</summary>
public enum ClaimsProcess { Traditional, OnChain }

/// <summary>What a visit was, as the adjudication rules see it.</summary>
public enum VisitCategory { Outpatient, Inpatient, Special }

/// <summary>
/// A zero-touch health-insurance claims scenario (issue 14 §2). Every default is either sourced (SCENARIOS.md §4:
/// AHIP, Zhejiang 2020, the seed) or labelled an assumption in the schema key that sets it (InsuranceClaimsModel).
/// Money is in fen (CNY minor units).
/// </summary>
public sealed record InsuranceOptions
{
    /// <summary>Calendar instant of virtual time 0 (offices and banks on Chinese business days, +08:00).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8));
    public int Customers { get; init; } = 2000;
    public int Hospitals { get; init; } = 4;
    public int Insurers { get; init; } = 2;
    /// <summary>Share of customers who opened the service (identity and consent on chain) before their visits.</summary>
    public double ConsentShare { get; init; } = 0.9;

    public int Visits { get; init; } = 1000;
    /// <summary>Visits happen uniformly over this span, any day and hour.</summary>
    public Duration VisitWindow { get; init; } = Duration.FromDays(28);
    public double InpatientShare { get; init; } = 0.08;
    public double SpecialShare { get; init; } = 0.07;
    /// <summary>Claimed amount per visit, CNY (outpatient and special; inpatient below).</summary>
    public Distribution OutpatientAmount { get; init; } = new LogNormal(Math.Log(400), 1.0);
    public Distribution InpatientAmount { get; init; } = new LogNormal(Math.Log(8000), 0.8);

    /// <summary>Rules: an outpatient claim up to this (fen) is paid without a human, while the customer's automatic total stays within the annual limit.</summary>
    public long AutoLimitFen { get; init; } = 500_000;
    public long AnnualAutoLimitFen { get; init; } = 2_000_000;

    public ClaimsProcess Process { get; init; } = ClaimsProcess.Traditional;
    /// <summary>Traditional: calendar seconds from the visit to the customer's claim.</summary>
    public Distribution FilingDelay { get; init; } = new LogNormal(Math.Log(3 * 86400), 1.0);
    /// <summary>Traditional: calendar seconds for the paper documents to reach the insurer (post, courier, counter).</summary>
    public Distribution DocumentTransit { get; init; } = new LogNormal(Math.Log(86400), 0.5);
    /// <summary>Desk seconds a claim waits in the review queue (claims office hours).</summary>
    public Distribution Backlog { get; init; } = new LogNormal(Math.Log(8 * 3600), 0.9);
    /// <summary>Desk seconds of one manual review.</summary>
    public Distribution Review { get; init; } = new LogNormal(Math.Log(45 * 60), 0.5);
    /// <summary>Traditional: chance the reviewer chases missing documents.</summary>
    public double ChaseShare { get; init; } = 0.12;
    /// <summary>Traditional: calendar seconds the customer takes to send what was chased.</summary>
    public Distribution ChaseResponse { get; init; } = new Exponential(12 * 86400);
    /// <summary>Traditional: the insurer's daily payment batch leaves at this local time on banking days.</summary>
    public TimeOnly PaymentBatch { get; init; } = new(15, 0);

    /// <summary>Claims office hours (manual review) and the paying bank's hours for single payments on chain.</summary>
    public TimeOnly OfficeOpen { get; init; } = new(9, 0);
    public TimeOnly OfficeClose { get; init; } = new(17, 0);
    public TimeOnly BankOpen { get; init; } = new(8, 30);
    public TimeOnly BankClose { get; init; } = new(17, 0);

    /// <summary>On chain: seconds the health commission takes to recognise an insured customer.</summary>
    public Duration Recognition { get; init; } = Duration.FromSeconds(2);
    /// <summary>On chain: the data exchange anchors the stored visit records' Merkle root this often.</summary>
    public Duration AnchorInterval { get; init; } = Duration.FromMinutes(1);
    public int RecordBytes { get; init; } = 600;
    /// <summary>On chain: seal each visit record for its collection and derive the who-can-read matrix (<see cref="InsurancePrivacy"/>).</summary>
    public bool Privacy { get; init; } = true;

    /// <summary>Cost of one manual touch (data entry, review, chase, payment release), CNY.</summary>
    public double CostPerTouch { get; init; } = 30;
    /// <summary>On chain: the running cost of the chain and gateways, per claim, CNY.</summary>
    public double ChainCostPerClaim { get; init; } = 1;

    public IReadOnlyList<string> HospitalRegions { get; init; } = ["hangzhou"];
    public IReadOnlyList<string> InsurerRegions { get; init; } = ["shanghai"];
    public string AuthorityRegion { get; init; } = "hangzhou";
    public string BankRegion { get; init; } = "shanghai";

    /// <summary>Long enough for the last visit's paper claim to be paid: the first day, the window and 90 days (AHIP: 98% within 30 days of filing; the tail of the document chase runs longer).</summary>
    public SimTime SuggestedEnd => SimTime.Zero + Duration.FromDays(1) + VisitWindow + Duration.FromDays(90);
}
