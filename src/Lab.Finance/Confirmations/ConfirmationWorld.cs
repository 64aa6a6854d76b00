using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Calendars;
using Lab.Finance.Chain;
using Lab.Finance.Privacy;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Confirmations;

/// <summary>
/// Builds a bank-confirmation world: the requests (the same for both channels of a seed), the audit firms, clients and
/// bank desks as nodes, and on chain the platform's replicas (laid out by <see cref="ChainWorld"/>, replicas first),
/// each applying blocks to its own audited confirmation ledger. <see cref="ConfirmationWorldSpec.Derive"/> turns the
/// run into figures and writes them into the run's metrics.
/// </summary>
public static class ConfirmationWorld
{
    /// <param name="requests">Hand-made requests (tests) instead of the generated ones.</param>
    public static ConfirmationWorldSpec Build(ConfirmationOptions options, NetworkSpec network, ulong seed, SettlementChain? chain = null, IReadOnlyList<ConfirmationRequestDraw>? requests = null)
    {
        var setup = Setup(options, seed, requests);
        var book = setup.Book;
        int Region(IReadOnlyList<string> regions, int i)
        {
            var name = regions[i % regions.Count];
            var r = network.RegionIndex(name);
            if (r < 0) throw new ArgumentException($"institution region '{name}' is not in the network (regions: {string.Join(", ", network.Regions)})");
            return r;
        }
        var observer = new ConfirmationObserver();
        IEnumerable<NodeSpec> Institutions(Func<FinalityTracker?> client)
        {
            for (int f = 0; f < options.AuditFirms; f++)
            {
                var i = f;
                yield return new NodeSpec(ConfirmationBook.Firm(f), Region(options.FirmRegions, f), "audit-firm", () => new AuditFirmNode(setup, i, client()));
            }
            for (int c = 0; c < options.Clients; c++)
                yield return new NodeSpec(ConfirmationBook.Client(c), Region(options.ClientRegions, c), "client", () => new ClientNode(setup, client()));
            for (int b = 0; b < options.Banks; b++)
                yield return new NodeSpec(ConfirmationBook.Bank(b), Region(options.BankRegions, b), "bank", () => new BankDeskNode(setup, client()));
        }

        ChainWorld? chainWorld = null;
        var nodes = new List<NodeSpec>();
        if (options.Channel == ConfirmationChannel.Paper) nodes.AddRange(Institutions(() => null));
        else
        {
            if (chain is null) throw new ArgumentException("the on-chain platform needs a chain (SettlementChain)");
            string? metricsNode = null;
            IStateMachine Ledger()
            {
                var rt = new ContractRuntime(Platform(options), [new ConfirmationContract()], new Dictionary<string, string>(),
                    new ContractRuntimeOptions { CpuPerCall = Duration.FromMicros(50), MetricsNode = metricsNode, KeepEvents = false });
                var ledger = new AuditedConfirmationLedger(rt);
                observer.Ledgers.Add(ledger);
                return ledger;
            }
            setup.Ledger = key => observer.Latest()?.State.Get(key);
            chainWorld = chain.Build(network, seed, Ledger,
                access => Institutions(() => access.NewTracker(untilFinal: true)));
            metricsNode = chainWorld.Nodes[0].Name;
            nodes.AddRange(chainWorld.Nodes);
        }

        ConfirmationResults Derive(RunResult run)
        {
            chainWorld?.Complete(run);
            return ConfirmationResults.Derive(run, observer, setup);
        }
        return new ConfirmationWorldSpec(nodes, [observer, .. chainWorld?.Observers ?? []], SuggestedEnd(options, book, setup), setup, Derive, chainWorld);
    }

    /// <summary>The platform's members: firms request, clients authorise, banks reply; the operator runs it and the
    /// regulator reads (neither calls the contract).</summary>
    public static Membership Platform(ConfirmationOptions o)
    {
        var m = new Membership();
        for (int f = 0; f < o.AuditFirms; f++) m.Add(ConfirmationBook.Firm(f), ConfirmationContract.AuditorRole);
        for (int c = 0; c < o.Clients; c++) m.Add(ConfirmationBook.Client(c), ConfirmationContract.ClientRole);
        for (int b = 0; b < o.Banks; b++) m.Add(ConfirmationBook.Bank(b), ConfirmationContract.BankRole);
        m.Add(ConfirmationBook.Operator);
        m.Add(ConfirmationBook.Regulator, Membership.Regulator);
        return m;
    }

    /// <summary>The suggested end for the requests of seed 0 (what the model checks <c>duration</c> against; the two weeks
    /// of margin cover another seed's draws).</summary>
    public static SimTime SuggestedEnd(ConfirmationOptions o)
    {
        var setup = Setup(o, 0);
        return SuggestedEnd(o, setup.Book, setup);
    }

    private static ConfirmationSetup Setup(ConfirmationOptions o, ulong seed, IReadOnlyList<ConfirmationRequestDraw>? requests = null)
    {
        var calendar = BusinessCalendars.China2026();
        var clock = new RunClock(o.Start);
        var book = requests is null ? ConfirmationBook.Generate(o, seed, new OfficeHours(clock, calendar)) : new ConfirmationBook(requests);
        return new ConfirmationSetup(o, book, clock, calendar, new Keyring(seed), seed);
    }

    /// <summary>When the slowest paper confirmation is surely back (its letters and desks in order, office hours and
    /// business days counted; on chain is far quicker), plus two weeks.</summary>
    public static SimTime SuggestedEnd(ConfirmationOptions o, ConfirmationBook book, ConfirmationSetup setup)
    {
        long end = 0;
        foreach (var r in book.Requests)
        {
            var d = r.PostalDays;
            var t = setup.Hours.After(setup.PostArrival(r.PostedNs, d.ToClient), r.PaperClientDeskS);
            t = setup.Hours.After(setup.PostArrival(t, d.ToBank), r.PaperBankDeskS);
            if (r.FollowUp) t = setup.Hours.After(setup.PostArrival(setup.Hours.After(setup.PostArrival(t, d.Query), r.FollowUpDeskS), d.SecondRequest), r.PaperSecondDeskS);
            end = Math.Max(end, setup.PostArrival(t, d.Reply));
        }
        return new SimTime(end + Duration.FromDays(14).Nanos);
    }
}

/// <summary>What <see cref="ConfirmationWorld.Build"/> returns.</summary>
public sealed record ConfirmationWorldSpec(
    IReadOnlyList<NodeSpec> Nodes,
    IReadOnlyList<ISimulationObserver> Observers,
    SimTime SuggestedEnd,
    ConfirmationSetup Setup,
    Func<RunResult, ConfirmationResults> Derive,
    ChainWorld? Chain);
