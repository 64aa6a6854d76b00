using Lab.Ledger.Contracts;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;

namespace Lab.Finance.Confirmations;

/// <summary>Collects the firms' records at the end, and keeps every replica's ledger for the audit, the platform's read
/// API and the who-can-read matrix.</summary>
public sealed class ConfirmationObserver : ISimulationObserver
{
    internal List<AuditedConfirmationLedger> Ledgers { get; } = [];
    public SortedDictionary<int, ConfirmationRecord> Records { get; } = [];

    public void OnBarrier(ISimulationView view) { }

    public void OnEnd(ISimulationView view)
    {
        foreach (var id in view.Directory.All)
            if (view.BehaviourOf(id) is AuditFirmNode f)
                foreach (var (k, r) in f.Records) Records[k] = r;
    }

    /// <summary>The state of the most advanced replica (ties: the first by name): what the platform's read API serves.</summary>
    public ContractRuntime? Latest() =>
        Ledgers.Select(l => l.Runtime).Where(r => r.Node is not null)
            .OrderByDescending(r => r.Height).ThenBy(r => r.Node, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>Audit and conservation violations over all ledgers, and whether replicas at the same height agree.</summary>
    internal (long Violations, IReadOnlyList<string> Findings, bool Agree) ChainAudit()
    {
        var violations = Ledgers.Sum(l => l.AuditViolations + l.Runtime.ConservationViolations);
        var latest = new SortedDictionary<string, ContractRuntime>(StringComparer.Ordinal);
        foreach (var l in Ledgers) if (l.Runtime.Node is { } n) latest[n] = l.Runtime;
        var agree = ContractRuntime.SameStateAtEachHeight(latest.Values);
        return (violations, [.. Ledgers.SelectMany(l => l.Findings).Take(10)], agree);
    }
}
