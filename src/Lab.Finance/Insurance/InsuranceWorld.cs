using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Chain;
using Lab.Finance.Evidence;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Insurance;

/// <summary>
/// Builds a claims world: the book (same visits for both processes of a seed), the institutions — customer app,
/// hospitals, health commission, data exchange, insurers, paying bank — and on chain the consortium's replicas
/// (laid out by <see cref="ChainWorld"/>) each applying blocks to its own audited claims ledger.
/// </summary>
public static class InsuranceWorld
{
    /// <param name="book">Hand-made customers and visits (tests); by default generated from the seed.</param>
    public static InsuranceWorldSpec Build(InsuranceOptions o, NetworkSpec network, ulong seed, SettlementChain? chain = null, InsuranceBook? book = null)
    {
        book ??= InsuranceBook.Generate(o, seed);
        var log = new ClaimLog(book.Visits.Count);
        var calendar = new ClaimsCalendar(o);
        var observer = new InsuranceObserver();
        int Region(string name)
        {
            var r = network.RegionIndex(name);
            if (r < 0) throw new ArgumentException($"institution region '{name}' is not in the network (regions: {string.Join(", ", network.Regions)})");
            return r;
        }
        IEnumerable<NodeSpec> Institutions(Func<FinalityTracker?> client)
        {
            var onChain = o.Process == ClaimsProcess.OnChain;
            yield return new NodeSpec(InsuranceBook.App, Region(o.AuthorityRegion), "customer-app", () => new CustomerApp(o, book, log, client()));
            for (int h = 0; h < o.Hospitals; h++)
            {
                var i = h;
                yield return new NodeSpec(InsuranceBook.Hospital(h), Region(o.HospitalRegions[h % o.HospitalRegions.Count]), "hospital", () => new HospitalNode(o, book, log, i));
            }
            if (onChain)
            {
                yield return new NodeSpec(InsuranceBook.Commission, Region(o.AuthorityRegion), "health-commission", () => new CommissionNode(o, log));
                yield return new NodeSpec(InsuranceBook.Exchange, Region(o.AuthorityRegion), "data-exchange", () => new ExchangeNode(o, book, log, observer.Read, client()!, o.Privacy ? new InsurancePrivacy(new Privacy.Keyring(seed)) : null));   // its own keyring: nodes run in parallel
            }
            for (int k = 0; k < o.Insurers; k++)
                yield return new NodeSpec(InsuranceBook.Insurer(k), Region(o.InsurerRegions[k % o.InsurerRegions.Count]), "insurer",
                    () => new InsurerNode(book, log, calendar, onChain ? observer.Read : null, client()));
            yield return new NodeSpec(InsuranceBook.Bank, Region(o.BankRegion), "bank", () => new ClaimsBankNode(book, log, calendar, client()));
        }

        ChainWorld? chainWorld = null;
        var nodes = new List<NodeSpec>();
        if (o.Process == ClaimsProcess.Traditional) nodes.AddRange(Institutions(() => null));
        else
        {
            if (chain is null) throw new ArgumentException("on-chain claims need a chain (SettlementChain)");
            string? metricsNode = null;
            IStateMachine Ledger()
            {
                var rt = new ContractRuntime(Consortium(o), [new ClaimsContract(o.AutoLimitFen, o.AnnualAutoLimitFen), new EvidenceContract()], new Dictionary<string, string>(),
                    new ContractRuntimeOptions { CpuPerCall = Duration.FromMicros(50), MetricsNode = metricsNode, KeepEvents = false });
                var ledger = new AuditedClaimsLedger(rt);
                observer.Ledgers.Add(ledger);
                return ledger;
            }
            chainWorld = chain.Build(network, seed, Ledger,
                access => Institutions(() => access.NewTracker(untilFinal: true)));
            metricsNode = chainWorld.Nodes[0].Name;
            nodes.AddRange(chainWorld.Nodes);
        }

        InsuranceResults Derive(RunResult run)
        {
            chainWorld?.Complete(run);
            var results = InsuranceResults.Derive(run, log, observer, o, book);
            if (!o.Privacy || chainWorld is null) return results;
            // Who can read what (issue 14 §6), from the state of the most advanced replica.
            var matrix = new InsurancePrivacy(new Privacy.Keyring(seed)).Derive(observer.Read, book, o.Insurers);
            return results with { PrivacyBreaches = matrix.Write(run.Metrics, InsurancePrivacy.Expected) };
        }
        return new InsuranceWorldSpec(nodes, [observer, .. chainWorld?.Observers ?? []], o.SuggestedEnd, book, log, Derive, chainWorld);
    }

    /// <summary>Consortium identities: the customer app registers consents, the exchange files claims and anchors
    /// evidence, insurers decide reviewed claims, the bank confirms payments; hospitals and the commission are members that read.</summary>
    public static Membership Consortium(InsuranceOptions o)
    {
        var m = new Membership();
        m.Add(InsuranceBook.App, ClaimsContract.AppRole);
        m.Add(InsuranceBook.Exchange, ClaimsContract.ExchangeRole, EvidenceContract.AnchorRole);
        for (int k = 0; k < o.Insurers; k++) m.Add(InsuranceBook.Insurer(k), ClaimsContract.InsurerRole);
        m.Add(InsuranceBook.Bank, ClaimsContract.BankRole);
        for (int h = 0; h < o.Hospitals; h++) m.Add(InsuranceBook.Hospital(h));
        m.Add(InsuranceBook.Commission);
        return m;
    }
}

/// <summary>What <see cref="InsuranceWorld.Build"/> returns.</summary>
public sealed record InsuranceWorldSpec(
    IReadOnlyList<NodeSpec> Nodes,
    IReadOnlyList<ISimulationObserver> Observers,
    SimTime SuggestedEnd,
    InsuranceBook Book,
    ClaimLog Log,
    Func<RunResult, InsuranceResults> Derive,
    ChainWorld? Chain);
