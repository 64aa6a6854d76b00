using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Finance.Confirmations;

/// <summary>How confirmations travel: paper letters by post (the traditional baseline) or contract steps on the confirmation platform's chain.</summary>
public enum ConfirmationChannel { Paper, OnChain }

/// <summary>
/// Bank confirmations for audits (issue 14 §3, SCENARIOS.md §5). Every default is either sourced or labelled an
/// assumption in the schema key that sets it (BankConfirmationsModel). Desk times are working seconds in office hours
/// (<see cref="Calendars.OfficeHours"/>, 09:00–17:00 on Chinese business days, +08:00).
/// </summary>
public sealed record ConfirmationOptions
{
    /// <summary>Calendar instant of virtual time 0.</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8));
    public int AuditFirms { get; init; } = 4;
    public int Clients { get; init; } = 40;
    public int Banks { get; init; } = 8;
    public int Requests { get; init; } = 400;
    /// <summary>Requests are sent uniformly over this many working seconds of the auditors' office hours from the start.</summary>
    public Duration Window { get; init; } = Duration.FromHours(8 * 20);

    public ConfirmationChannel Channel { get; init; } = ConfirmationChannel.Paper;

    /// <summary>Paper: business days a letter takes (rounded up, at least 1); delivered at <see cref="PostDelivery"/> local time.</summary>
    public Distribution PostalDays { get; init; } = new Uniform(0, 3);
    public TimeOnly PostDelivery { get; init; } = new(10, 0);
    /// <summary>Paper: client's desk time to sign and stamp the request letter and post it to the bank.</summary>
    public Distribution PaperClientDesk { get; init; } = new LogNormal(Math.Log(4 * 3600), 0.6);
    /// <summary>Paper: bank confirmation desk time (find the accounts, check the seal, reply).</summary>
    public Distribution PaperBankDesk { get; init; } = new LogNormal(Math.Log(8 * 3600), 0.6);
    /// <summary>Paper: share of requests the bank cannot answer on the first letter (seal mismatch, missing account): the auditor sends a second request.</summary>
    public double FollowUpShare { get; init; } = 0.2;
    /// <summary>Paper: auditor's desk time to prepare the second request after the bank's query arrives.</summary>
    public Distribution FollowUpDesk { get; init; } = new LogNormal(Math.Log(4 * 3600), 0.6);

    /// <summary>On chain: client's desk time to authorise the request (electronic signature).</summary>
    public Distribution OnChainClientDesk { get; init; } = new Exponential(15 * 60);
    /// <summary>On chain: the bank desk's least working time for a reply, set so a season's shortest turnaround is the CBA platform's 1 h 15 min.</summary>
    public Duration OnChainBankFloor { get; init; } = Duration.FromMinutes(70);
    /// <summary>On chain: the bank desk's working time beyond the floor (calibrated: mean turnaround 3 h 38 min).</summary>
    public Distribution OnChainBankDesk { get; init; } = new LogNormal(Math.Log(81 * 60), 1.0);

    /// <summary>Share of clients' requests the client never authorises (the bank must not reply).</summary>
    public double MissingAuthorisationShare { get; init; } = 0.03;
    /// <summary>Share of replies a fraudster intercepts and replaces with a forged reply (paper: a redirected letter; on chain: a substituted download).</summary>
    public double TamperShare { get; init; } = 0.02;

    /// <summary>Bytes of a confirmation's content (balances, loans, guarantees of the client at the bank) before sealing.</summary>
    public int ContentBytes { get; init; } = 2048;
    /// <summary>Whether the regulator is a recipient of every sealed item (supervisory access).</summary>
    public bool RegulatorReads { get; init; } = true;

    public IReadOnlyList<string> FirmRegions { get; init; } = ["beijing", "shanghai"];
    public IReadOnlyList<string> ClientRegions { get; init; } = ["beijing", "shanghai", "shenzhen"];
    public IReadOnlyList<string> BankRegions { get; init; } = ["beijing", "shanghai"];
    /// <summary>Where the platform operator's gateway and the regulator's node sit.</summary>
    public string OperatorRegion { get; init; } = "beijing";
}
