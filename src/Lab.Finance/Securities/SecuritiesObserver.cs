using Lab.Finance.Institutions;
using Lab.Finance.Securities.Clearing;
using Lab.Ledger.Contracts;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;

namespace Lab.Finance.Securities;

/// <summary>
/// Collects, at the end of the run, what the institutions recorded: which orders were rejected at
/// entry, each trade's settlement record, the CCP's risk figures and waterfalls, the bank's credit
/// use, the depository's borrows — and, on chain, the replicas' contract runtimes for the audit.
/// </summary>
public sealed class SecuritiesObserver : ISimulationObserver
{
    /// <summary>Every contract runtime built (one per replica start); only touched between windows.</summary>
    internal List<ContractRuntime> Runtimes { get; } = [];
    public bool[]? Rejected { get; private set; }
    public TradeRecord[]? Records { get; private set; }
    public Ccp? Ccp { get; private set; }
    public SettlementBank? Bank { get; private set; }
    public Csd? Csd { get; private set; }
    public DvpGateway? Gateway { get; private set; }

    public void OnBarrier(ISimulationView view) { }

    public void OnEnd(ISimulationView view)
    {
        BehaviourOf(view, MarketNames.Exchange, out var exchange);
        if (exchange is ISettlementLog log)
        {
            Rejected = log.Rejected is { } r ? [.. r] : null;
            Records = log.Records;
        }
        Gateway = exchange as DvpGateway;
        if (BehaviourOf(view, MarketNames.Ccp, out var ccp) && ccp is Ccp c) { Ccp = c; Records = c.Records; }
        if (BehaviourOf(view, MarketNames.Bank, out var bank)) Bank = bank as SettlementBank;
        if (BehaviourOf(view, MarketNames.Csd, out var csd)) Csd = csd as Csd;
    }

    private static bool BehaviourOf(ISimulationView view, string name, out object? behaviour)
    {
        behaviour = null;
        if (!view.Directory.TryFind(name, out var id)) return false;
        behaviour = view.BehaviourOf(id);
        return behaviour is not null;
    }

    /// <summary>Conservation violations over all runtimes, and whether the latest runtime of each replica agrees
    /// (same height ⇒ same state digest).</summary>
    internal (long Violations, bool Agree) ChainAudit()
    {
        long violations = 0;
        var latest = new SortedDictionary<string, ContractRuntime>(StringComparer.Ordinal);
        foreach (var r in Runtimes)
        {
            violations += r.ConservationViolations;
            if (r.Node is { } n) latest[n] = r;
        }
        return (violations, ContractRuntime.SameStateAtEachHeight(latest.Values));
    }
}
