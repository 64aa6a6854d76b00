using Lab.Consensus.Common;
using Lab.Ledger.Contracts;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;

namespace Lab.Finance.Abs;

/// <summary>Collects, at the end of the run, what the servicer, trustee and parties recorded, and keeps every replica's deal ledger.</summary>
public sealed class AbsObserver : ISimulationObserver
{
    internal List<DealLedger> Ledgers { get; } = [];
    public ServicerNode.State? Servicer { get; private set; }
    /// <summary>On chain: what the servicer submitted, with when (the loan-event batches' posting times).</summary>
    public SubmissionLog? ServicerSubmissions { get; private set; }
    public TrusteeNode.State? Trustee { get; private set; }
    public SortedDictionary<int, PartyNode.State> Parties { get; } = [];

    public void OnBarrier(ISimulationView view) { }

    public void OnEnd(ISimulationView view)
    {
        foreach (var id in view.Directory.All)
            switch (view.BehaviourOf(id))
            {
                case ServicerNode s: Servicer = s.Records; ServicerSubmissions = s.Submissions; break;
                case TrusteeNode t: Trustee = t.Records; break;
                case PartyNode p: Parties[p.Reader] = p.Records; break;
            }
    }

    /// <summary>Per replica node (by name), the first time it applied each key, from all its ledgers (a restarted replica builds a new one).</summary>
    internal SortedDictionary<string, SortedDictionary<int, long>> SeenByNode(Func<DealLedger, SortedDictionary<int, long>> pick)
    {
        var byNode = new SortedDictionary<string, SortedDictionary<int, long>>(StringComparer.Ordinal);
        foreach (var l in Ledgers)
        {
            if (l.Runtime.Node is not { } node) continue;
            if (!byNode.TryGetValue(node, out var seen)) byNode[node] = seen = [];
            foreach (var (k, t) in pick(l)) seen[k] = seen.TryGetValue(k, out var s) ? Math.Min(s, t) : t;
        }
        return byNode;
    }

    /// <summary>When every replica had applied <paramref name="key"/> (the latest of their first times); <paramref name="never"/> if one never did.</summary>
    internal static long Everyone(SortedDictionary<string, SortedDictionary<int, long>> byNode, int key, long never) =>
        byNode.Count == 0 || byNode.Values.Any(seen => !seen.ContainsKey(key)) ? never : byNode.Values.Max(seen => seen[key]);

    /// <summary>Audit and conservation violations over all ledgers, their findings, and whether the latest ledger of each replica agrees (same height ⇒ same digest).</summary>
    internal (long Violations, IReadOnlyList<string> Findings, bool Agree) ChainAudit()
    {
        var violations = Ledgers.Sum(l => l.AuditViolations + l.Runtime.ConservationViolations);
        var agree = ContractRuntime.SameStateAtEachHeight(LatestRuntimes());
        return (violations, [.. Ledgers.SelectMany(l => l.Findings).Take(10)], agree);
    }

    /// <summary>The latest ledger of each replica.</summary>
    internal IEnumerable<ContractRuntime> LatestRuntimes()
    {
        var latest = new SortedDictionary<string, ContractRuntime>(StringComparer.Ordinal);
        foreach (var l in Ledgers) if (l.Runtime.Node is { } n) latest[n] = l.Runtime;
        return latest.Values;
    }
}
