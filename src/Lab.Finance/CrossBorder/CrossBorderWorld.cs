using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Chain;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.CrossBorder;

/// <summary>
/// Builds a cross-border world: the banks as nodes (one per bank, in its region), the same <see cref="PaymentBook"/>
/// for both variants, and either the correspondent chain (<see cref="CorrespondentBank"/>, off chain) or the
/// multi-currency ledger (<see cref="LedgerBank"/> submitting to <see cref="MultiCurrencyLedger"/> on the consortium
/// chain, replicas first). <see cref="CrossBorderWorldSpec.Derive"/> turns a run into its figures and metrics.
/// </summary>
public static class CrossBorderWorld
{
    public const string Dealer = "fx-dealer";
    public static string CentralBank(string currency) => "cb-" + currency.ToLowerInvariant();

    public static CrossBorderWorldSpec Build(CrossBorderOptions options, NetworkSpec network, ulong seed, SettlementChain? chain = null, PaymentBook? book = null)
    {
        options.Validate();
        book ??= PaymentBook.Generate(options, seed);
        var log = new PaymentLog(book.Payments.Count);
        int Region(string name)
        {
            var i = network.RegionIndex(name);
            if (i < 0) throw new ArgumentException($"bank region '{name}' is not in the network (regions: {string.Join(", ", network.Regions)})");
            return i;
        }
        var observer = new CrossBorderObserver();
        var nodes = new List<NodeSpec>();
        ChainWorld? chainWorld = null;
        LedgerPlan? plan = null;
        if (options.Variant == CrossBorderVariant.Correspondent)
        {
            for (int b = 0; b < options.Banks.Count; b++)
            {
                var index = b;
                nodes.Add(new NodeSpec(options.Banks[b].Name, Region(options.Banks[b].Region), "bank", () => new CorrespondentBank(index, options, book, log)));
            }
        }
        else
        {
            if (chain is null) throw new ArgumentException("the ledger variant needs a chain (SettlementChain)");
            plan = LedgerPlan.Of(options, book);
            var genesis = plan.Genesis;
            var contract = plan.Contract;
            string? metricsNode = null;
            IStateMachine Runtime()
            {
                var rt = new ContractRuntime(plan.Members, [new TokenContract(), contract()], plan.Issuers,
                    new ContractRuntimeOptions { CpuPerCall = Duration.FromMicros(50), MetricsNode = metricsNode, KeepEvents = false });
                rt.ApplyGenesis(genesis);
                lock (observer.Runtimes) observer.Runtimes.Add(rt);
                return rt;
            }
            chainWorld = chain.Build(network, seed, Runtime,
                access => options.Banks.Select((bank, i) => new NodeSpec(bank.Name, Region(bank.Region), "bank",
                    () => new LedgerBank(i, options, book, log, access.NewTracker(untilFinal: true),
                        options.Privacy ? new CrossBorderPrivacy(new Privacy.Keyring(seed)) : null))));   // a keyring per bank: banks run in parallel
            metricsNode = chainWorld.Nodes[0].Name;
            nodes.AddRange(chainWorld.Nodes);
        }
        CrossBorderResults Derive(RunResult run)
        {
            chainWorld?.Complete(run);
            var results = CrossBorderDerivation.Derive(run, options, book, log, plan, observer);
            // Who can read what (issue 14 §6), from the state of the replica that got furthest.
            if (!options.Privacy || chainWorld is null || observer.Runtimes.Where(r => r.Node is not null).OrderByDescending(r => r.Height).ThenBy(r => r.Node, StringComparer.Ordinal).FirstOrDefault() is not { } latest)
                return results;
            var banks = options.Banks;
            var matrix = new CrossBorderPrivacy(new Privacy.Keyring(seed)).Derive(latest.State.Get,
                book.Payments.Select(p => new LedgerPayment(p.Index, banks[p.Sender].Name, banks[p.Receiver].Name, banks[p.Sender].Currency, banks[p.Receiver].Currency, p.AmountMinor, p.Originator, p.Beneficiary)),
                [.. banks.Select(b => b.Name)], [.. banks.Select(b => b.Currency).Distinct()]);
            return results with { PrivacyBreaches = matrix.Write(run.Metrics, CrossBorderPrivacy.Expected) };
        }
        return new CrossBorderWorldSpec(nodes, [observer, .. chainWorld?.Observers ?? []], book, log, Derive, chainWorld);
    }

    /// <summary>When the last payment should be done: the window, plus a week for manual reviews, weekends and returns.</summary>
    public static SimTime SuggestedEnd(CrossBorderOptions options) => SimTime.Zero + options.Payments.Window + Duration.FromDays(7);
}

/// <summary>What <see cref="CrossBorderWorld.Build"/> returns.</summary>
public sealed record CrossBorderWorldSpec(
    IReadOnlyList<NodeSpec> Nodes, IReadOnlyList<ISimulationObserver> Observers, PaymentBook Book, PaymentLog Log,
    Func<RunResult, CrossBorderResults> Derive, ChainWorld? Chain);

/// <summary>Keeps the replicas' contract runtimes for the end-of-run audit.</summary>
public sealed class CrossBorderObserver : ISimulationObserver
{
    internal List<ContractRuntime> Runtimes { get; } = [];
    public void OnBarrier(ISimulationView view) { }
    public void OnEnd(ISimulationView view) { }

    /// <summary>Conservation violations over all runtimes, and whether the latest runtime of each replica at the same height holds the same state.</summary>
    public (long Violations, bool Agree) Audit()
    {
        var violations = Runtimes.Sum(r => r.ConservationViolations);
        var latest = new SortedDictionary<string, ContractRuntime>(StringComparer.Ordinal);
        foreach (var r in Runtimes) if (r.Node is { } n) latest[n] = r;
        var agree = ContractRuntime.SameStateAtEachHeight(latest.Values);
        return (violations, agree);
    }

    /// <summary>Sum of balances against supply per asset on the first replica (empty off chain).</summary>
    public IReadOnlyList<(string Asset, long Balances, long Supply)> FullAudit() => Runtimes.Count == 0 ? [] : Runtimes[0].Audit();
}
