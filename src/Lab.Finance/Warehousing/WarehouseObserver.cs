using Lab.Ledger.Contracts;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;

namespace Lab.Finance.Warehousing;

/// <summary>Collects, at the end of the run, what the banks and warehouses recorded, and keeps every replica's receipt ledger for the audit.</summary>
public sealed class WarehouseObserver : ISimulationObserver
{
    internal List<AuditedReceiptLedger> Ledgers { get; } = [];
    public SortedDictionary<int, PledgeRecord> Records { get; } = [];
    public List<WarehouseNode.State> Warehouses { get; } = [];

    public void OnBarrier(ISimulationView view) { }

    public void OnEnd(ISimulationView view)
    {
        foreach (var id in view.Directory.All)
        {
            switch (view.BehaviourOf(id))
            {
                case BankNode b: foreach (var (k, r) in b.Records) Records[k] = r; break;
                case WarehouseNode w: Warehouses.Add(w.Records); break;
            }
        }
    }

    /// <summary>The most advanced replica's runtime (ties: by node name): the state the who-can-read matrix is read from.</summary>
    public ContractRuntime? Latest() =>
        Ledgers.Select(l => l.Runtime).Where(r => r.Node is not null)
            .OrderByDescending(r => r.Height).ThenBy(r => r.Node, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>Audit and conservation violations over all ledgers, and whether the latest ledger of each replica agrees (same height ⇒ same digest).</summary>
    internal (long Violations, IReadOnlyList<string> Findings, bool Agree) ChainAudit()
    {
        var violations = Ledgers.Sum(l => l.AuditViolations + l.Runtime.ConservationViolations);
        var latest = new SortedDictionary<string, ContractRuntime>(StringComparer.Ordinal);
        foreach (var l in Ledgers) if (l.Runtime.Node is { } n) latest[n] = l.Runtime;
        var agree = ContractRuntime.SameStateAtEachHeight(latest.Values);
        return (violations, [.. Ledgers.SelectMany(l => l.Findings).Take(10)], agree);
    }
}
