using Lab.Ledger.Contracts;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;

namespace Lab.Finance.SupplyChain;

/// <summary>Collects the holders' outcomes and, on chain, the core's payment times and the replicas' contract runtimes.</summary>
public sealed class SupplyChainObserver(SupplyChainPlan plan) : ISimulationObserver
{
    internal List<ContractRuntime> Runtimes { get; } = [];
    public SortedDictionary<int, ClaimOutcome> Outcomes { get; } = [];
    public SortedDictionary<int, long> PaidAt { get; } = [];
    /// <summary>On chain: when each claim's piece became final with its holder (the core's issue or the buyer's split), by claim.</summary>
    public SortedDictionary<int, long> ReceivedAt { get; } = [];

    public void OnBarrier(ISimulationView view) { }

    public void OnEnd(ISimulationView view)
    {
        foreach (var name in plan.Suppliers.Append(SupplyChainPlan.Core))
        {
            if (!view.Directory.TryFind(name, out var id)) continue;
            var b = view.BehaviourOf(id);
            if (b is IClaimLog log) foreach (var (k, v) in log.Outcomes) Outcomes[k] = v;
            if (b is not VoucherParty { } party) continue;
            foreach (var (k, v) in party.PaidAt) PaidAt[k] = v;
            // The core's issue reaches the tier-1 claim itself; a supplier's split reaches its claim's children.
            foreach (var (k, v) in party.PassedAt)
                foreach (var to in name == SupplyChainPlan.Core ? [k] : plan.Claims[k].Children) ReceivedAt[to] = v;
        }
    }

    /// <summary>Conservation violations over all runtimes, and whether replicas at the same height agree.</summary>
    internal (long Violations, bool Agree, long Unauthorised) ChainAudit()
    {
        var latest = new SortedDictionary<string, ContractRuntime>(StringComparer.Ordinal);
        foreach (var r in Runtimes) if (r.Node is { } n) latest[n] = r;
        var agree = ContractRuntime.SameStateAtEachHeight(latest.Values);
        return (Runtimes.Sum(r => r.ConservationViolations), agree, latest.Values.FirstOrDefault()?.UnauthorisedCalls ?? 0);
    }
}
