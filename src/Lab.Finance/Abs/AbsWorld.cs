using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Calendars;
using Lab.Finance.Chain;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Abs;

/// <summary>
/// Builds an ABS world: the book (same for both variants of a seed), the servicer, trustee and reading parties, and on
/// chain the consortium's replicas (laid out by <see cref="ChainWorld"/>; one per party in the ready file) each
/// applying blocks to its own <see cref="DealLedger"/>. <see cref="AbsWorldSpec.Derive"/> turns the run into figures
/// and writes them into the run's metrics.
/// </summary>
public static class AbsWorld
{
    public static AbsWorldSpec Build(AbsOptions options, NetworkSpec network, ulong seed, SettlementChain? chain = null, IReadOnlyList<string>? regions = null)
    {
        var book = AbsBook.Generate(options, seed);
        var clock = new RunClock(options.Start);
        var hours = new OfficeHours(clock, BusinessCalendars.China2026());
        var places = regions is { Count: > 0 } ? regions : network.Regions;
        var next = 0;
        int Region()
        {
            var name = places[next++ % places.Count];
            var r = network.RegionIndex(name);
            if (r < 0) throw new ArgumentException($"institution region '{name}' is not in the network (regions: {string.Join(", ", network.Regions)})");
            return r;
        }
        var observer = new AbsObserver();
        // A keyring per sealing party (parties run in parallel; a Keyring caches keys), only on chain with privacy on.
        AbsPrivacy? Sealer() => options.Privacy && options.Reporting == AbsReporting.OnChain ? new AbsPrivacy(new Privacy.Keyring(seed)) : null;
        IEnumerable<NodeSpec> Institutions(Func<FinalityTracker?> client)
        {
            next = 0;
            yield return new NodeSpec(AbsBook.Servicer, Region(), "servicer", () => new ServicerNode(options, book, hours, client()));
            yield return new NodeSpec(AbsBook.Trustee, Region(), "trustee", () => new TrusteeNode(options, book, hours, client(), Sealer()));
            var readers = AbsBook.Readers(options.Investors);
            for (int r = 0; r < readers.Count; r++)
            {
                var i = r;
                yield return new NodeSpec(readers[r], Region(), readers[r].StartsWith("investor", StringComparison.Ordinal) ? "investor" : readers[r], () => new PartyNode(options, book, i, hours, client(), Sealer()));
            }
        }

        ChainWorld? chainWorld = null;
        var nodes = new List<NodeSpec>();
        if (options.Reporting == AbsReporting.Traditional) nodes.AddRange(Institutions(() => null));
        else
        {
            if (chain is null) throw new ArgumentException("on-chain reporting needs a chain (SettlementChain)");
            var members = Consortium(options);
            var issuers = AbsBook.Classes.ToDictionary(DealContract.Asset, _ => AbsBook.Trustee);
            string? metricsNode = null;
            IStateMachine Ledger()
            {
                var rt = new ContractRuntime(members, [new DealContract(options.Terms, options.CpuPerEvent)], issuers,
                    new ContractRuntimeOptions { CpuPerCall = Duration.FromMicros(50), MetricsNode = metricsNode, KeepEvents = false });
                var ledger = new DealLedger(rt);
                observer.Ledgers.Add(ledger);
                return ledger;
            }
            chainWorld = chain.Build(network, seed, Ledger,
                access => Institutions(() => access.NewTracker(untilFinal: true)));
            metricsNode = chainWorld.Nodes[0].Name;
            nodes.AddRange(chainWorld.Nodes);
        }

        AbsResults Derive(RunResult run)
        {
            chainWorld?.Complete(run);
            var results = AbsResults.Derive(run, observer, options, book);
            // Who can read what (issue 14 §6), from the state of the replica that got furthest.
            if (!options.Privacy || chainWorld is null || observer.LatestRuntimes().OrderByDescending(r => r.Height).ThenBy(r => r.Node, StringComparer.Ordinal).FirstOrDefault() is not { } latest)
                return results;
            var matrix = new AbsPrivacy(new Privacy.Keyring(seed)).Derive(latest.State.Get, book, options.Investors);
            return results with { PrivacyBreaches = AbsPrivacy.Write(run.Metrics, matrix) };
        }
        return new AbsWorldSpec(nodes, [observer, .. chainWorld?.Observers ?? []], SuggestedEnd(book), book, Derive, chainWorld);
    }

    /// <summary>A week after the last payment date: every report, reconciliation and payment of the deal's last period falls inside.</summary>
    public static SimTime SuggestedEnd(AbsBook book) => new(book.Periods[^1].PaymentNs + Duration.FromDays(7).Nanos);

    /// <summary>Consortium identities: the trustee issues the notes, the servicer posts loan events, investors transfer units; the originator holds the subordinated class; rating agency and regulator read.</summary>
    public static Membership Consortium(AbsOptions o)
    {
        var m = new Membership();
        m.Add(AbsBook.Trustee, DealContract.TrusteeRole);
        m.Add(AbsBook.Servicer, DealContract.ServicerRole);
        m.Add(AbsBook.Originator);
        m.Add(AbsBook.RatingAgency);
        m.Add(AbsBook.Regulator);
        for (int i = 0; i < o.Investors; i++) m.Add(AbsBook.Investor(i), DealContract.InvestorRole);
        return m;
    }
}

/// <summary>What <see cref="AbsWorld.Build"/> returns.</summary>
public sealed record AbsWorldSpec(
    IReadOnlyList<NodeSpec> Nodes,
    IReadOnlyList<ISimulationObserver> Observers,
    SimTime SuggestedEnd,
    AbsBook Book,
    Func<RunResult, AbsResults> Derive,
    ChainWorld? Chain);
