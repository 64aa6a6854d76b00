using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Calendars;
using Lab.Finance.Chain;
using Lab.Finance.Institutions;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Securities;

/// <summary>
/// Builds a securities world for the kernel: institutions (and, on chain, the chain's replicas laid
/// out by <see cref="ChainWorld"/>, replicas first), an observer that collects per-trade records at the
/// end, and the function that turns a <see cref="RunResult"/> into <see cref="SecuritiesResults"/> (and
/// writes its scalars, the chain's standard metrics and the exposure series into the run's metrics).
/// Call once per run; the same seed gives the same trades whatever the variant.
/// </summary>
public static class SecuritiesWorld
{
    /// <param name="network">The run's network: institution regions are looked up by name in it.</param>
    /// <param name="chain">Required for <see cref="OnChainSettlement"/>: the protocol the chain runs; ignored for T+n.</param>
    /// <param name="tape">Trades to replay instead of generating them from the seed (tests, recorded days).</param>
    /// <param name="runEnd">The run's end time, if later than <see cref="SuggestedEnd"/>: institutions keep their daily
    /// cycles (batches, netting windows, queue retries) going until then.</param>
    public static SecuritiesWorldSpec Build(SecuritiesOptions options, BusinessCalendar calendar, NetworkSpec network, ulong seed, SettlementChain? chain = null, TradeTape? tape = null, SimTime? runEnd = null)
    {
        var clock = new RunClock(options.Start);
        var market = options.Market;
        var names = new MarketNames(market.Members, market.Securities);
        tape ??= TradeTape.Generate(market, calendar, clock, seed);
        long DayOf(Trade t) => clock.LocalDate(new SimTime(t.ExecutedAtNs), calendar).DayNumber;
        var opening = OpeningPositions.From(tape, market, options.Inventory, DayOf);
        var end = SuggestedEnd(options, calendar);
        var horizon = Math.Max(end.Nanos, runEnd is { } re && re != SimTime.MaxValue ? re.Nanos : 0);

        int Region(string name)
        {
            var i = network.RegionIndex(name);
            if (i < 0) throw new ArgumentException($"institution region '{name}' is not in the network (regions: {string.Join(", ", network.Regions)})");
            return i;
        }
        var place = options.Placement;
        var institutions = new List<NodeSpec>();
        var observer = new SecuritiesObserver();
        for (int m = 0; m < market.Members; m++)
            institutions.Add(new NodeSpec(names.Member(m), Region(place.MemberRegions[m % place.MemberRegions.Count]), "broker", () => new Broker()));
        institutions.Add(new NodeSpec(MarketNames.Regulator, Region(place.Regulator), "regulator", () => new Regulator()));

        string logNode;
        ChainWorld? chainWorld = null;
        var nodes = new List<NodeSpec>();
        switch (options.Settlement)
        {
            case DeferredNetSettlement d:
                nodes.AddRange(institutions);
                nodes.Add(new NodeSpec(MarketNames.Exchange, Region(place.Exchange), "exchange", () => new Exchange(tape, names)));
                nodes.Add(new NodeSpec(MarketNames.Ccp, Region(place.Ccp), "ccp", () => new Ccp(names, calendar, clock, d, horizon)));
                nodes.Add(new NodeSpec(MarketNames.Csd, Region(place.Csd), "csd", () => new Csd(names, opening, d, tape.Trades.Count)));
                nodes.Add(new NodeSpec(MarketNames.Bank, Region(place.Bank), "settlement-bank", () => new SettlementBank(opening)));
                logNode = MarketNames.Csd;
                break;
            case OnChainSettlement c:
                if (chain is null) throw new ArgumentException("on-chain settlement needs a chain (SettlementChain)");
                var genesis = Genesis(names, opening);
                var members = Consortium(names);
                var issuers = Issuers(names);
                string? metricsNode = null;
                IStateMachine Runtime()
                {
                    var rt = new ContractRuntime(members, [new TokenContract(), new DvpContract(names, c.CpuPerTrade)], issuers,
                        new ContractRuntimeOptions { CpuPerCall = Duration.FromMicros(50), MetricsNode = metricsNode, KeepEvents = false });
                    rt.ApplyGenesis(genesis);
                    observer.Runtimes.Add(rt);
                    return rt;
                }
                // The exchange submits each DvP through the chain's own client, under the protocol's finality rule.
                var workload = WorkloadOptions.None with { RetryTimeout = chain.RetryTimeout };
                chainWorld = ChainWorld.Build(chain.Protocol, chain.Options with { StateMachine = Runtime }, workload, network, chain.Byzantine,
                    access => [.. institutions, new NodeSpec(MarketNames.Exchange, Region(place.Exchange), "exchange", () => new DvpGateway(tape, c, access.NewTracker(untilFinal: true), horizon))],
                    keySeed: seed);
                metricsNode = chainWorld.Nodes[0].Name;
                nodes.AddRange(chainWorld.Nodes);
                logNode = MarketNames.Exchange;
                break;
            default:
                throw new ArgumentException($"unknown settlement variant {options.Settlement.GetType().Name}");
        }
        observer.LogNode = logNode;

        SecuritiesResults Derive(RunResult run)
        {
            chainWorld?.Complete(run);
            return SecuritiesDerivation.Derive(run, observer, options, tape, names, DayOf);
        }
        return new SecuritiesWorldSpec(nodes, [observer, .. chainWorld?.Observers ?? []], end, tape, opening, Derive, chainWorld);
    }

    /// <summary>
    /// When the run should end so the last trades settle: the end of the trading window, plus T+n
    /// settlement days (at least one) and one more settlement day for rolled fails, at the batch time
    /// plus two hours. Use it (or more) as the run's end time for both variants.
    /// </summary>
    public static SimTime SuggestedEnd(SecuritiesOptions options, BusinessCalendar calendar)
    {
        var clock = new RunClock(options.Start);
        var lastDay = clock.LocalDate(SimTime.Zero + options.Market.TradingWindow - Duration.FromNanos(1), calendar);
        var n = options.Settlement is DeferredNetSettlement d ? Math.Max(1, d.CycleDays) : 1;
        var day = calendar.SettlementDate(calendar.IsBusinessDay(lastDay) ? lastDay : calendar.NextBusinessDay(lastDay), n + 1);
        var batch = options.Settlement is DeferredNetSettlement { BatchAt: { } at } ? at : calendar.SettlementBatchAt;
        var t = clock.NanosAt(day, batch, calendar) + Duration.FromHours(2).Nanos;
        var sameDay = clock.NanosAt(day, calendar.AffirmationCutoff, calendar) + Duration.FromHours(2).Nanos;
        return new SimTime(Math.Max(t, sameDay));
    }

    /// <summary>Consortium identities and roles: the exchange settles on behalf of members; the regulator only reads.</summary>
    public static Membership Consortium(MarketNames names)
    {
        var m = new Membership()
            .Add(MarketNames.Exchange, DvpContract.SettlementAgentRole)
            .Add(MarketNames.Csd, "issuer")
            .Add(MarketNames.Bank, "issuer")
            .Add(MarketNames.Ccp)
            .Add(MarketNames.Regulator, Membership.Regulator);
        for (int i = 0; i < names.Members; i++) m.Add(names.Member(i));
        return m;
    }

    /// <summary>Cash tokens are issued by the settlement bank (deposit tokens); shares by the CSD.</summary>
    public static Dictionary<string, string> Issuers(MarketNames names)
    {
        var d = new Dictionary<string, string> { [names.Currency] = MarketNames.Bank };
        for (int s = 0; s < names.Securities; s++) d[names.Security(s)] = MarketNames.Csd;
        return d;
    }

    /// <summary>Opening balances, issued by each asset's issuer at genesis on every replica.</summary>
    public static List<(string Caller, ContractCall Call)> Genesis(MarketNames names, OpeningPositions opening)
    {
        var calls = new List<(string, ContractCall)>();
        for (int m = 0; m < names.Members; m++)
            if (opening.Cash[m] > 0) calls.Add((MarketNames.Bank, TokenContract.IssueCall(names.Currency, names.Member(m), opening.Cash[m])));
        for (int m = 0; m < names.Members; m++)
            for (int s = 0; s < names.Securities; s++)
            {
                var q = opening.Holdings[m * names.Securities + s];
                if (q > 0) calls.Add((MarketNames.Csd, TokenContract.IssueCall(names.Security(s), names.Member(m), q)));
            }
        return calls;
    }
}

/// <summary>What <see cref="SecuritiesWorld.Build"/> returns to the experiment layer.</summary>
/// <param name="Nodes">Every node of the run (on chain: the chain's replicas first, then the institutions).</param>
/// <param name="Observers">Add each to the <see cref="Simulation"/> before running (on chain, the chain's checkers too).</param>
/// <param name="SuggestedEnd">Earliest sensible end time (last trades settled); use the max over variants.</param>
/// <param name="Derive">Call once with the run's result: returns the figures and writes scalars (on chain also the
/// chain's standard metrics, safety and validity findings) and the <c>exposure_cny</c> series into <c>run.Metrics</c>.</param>
/// <param name="Chain">The chain on chain (its fault targets, checkers and finality rule); null under T+n.</param>
public sealed record SecuritiesWorldSpec(
    IReadOnlyList<NodeSpec> Nodes,
    IReadOnlyList<ISimulationObserver> Observers,
    SimTime SuggestedEnd,
    TradeTape Tape,
    OpeningPositions Opening,
    Func<RunResult, SecuritiesResults> Derive,
    ChainWorld? Chain);

/// <summary>Collects, at the end of the run, the per-trade records and the replicas' contract runtimes.</summary>
public sealed class SecuritiesObserver : ISimulationObserver
{
    internal string LogNode { get; set; } = "";
    /// <summary>Every contract runtime built (one per replica start); only touched between windows.</summary>
    internal List<ContractRuntime> Runtimes { get; } = [];
    public long[]? SettledAtNs { get; private set; }
    public bool[]? FailedOnce { get; private set; }
    public long[]? CancelledAtNs { get; private set; }

    public void OnBarrier(ISimulationView view) { }

    public void OnEnd(ISimulationView view)
    {
        if (view.BehaviourOf(view.Directory.Find(LogNode)) is ISettlementLog log)
        {
            SettledAtNs = [.. log.SettledAtNs];
            FailedOnce = [.. log.FailedOnce];
            CancelledAtNs = [.. log.CancelledAtNs];
        }
    }

    /// <summary>Conservation violations over all runtimes, and whether the latest runtime of each replica agrees
    /// (same height ⇒ same state digest).</summary>
    internal (long Violations, bool Agree) ChainAudit()
    {
        var violations = Runtimes.Sum(r => r.ConservationViolations);
        var latest = new SortedDictionary<string, ContractRuntime>(StringComparer.Ordinal);
        foreach (var r in Runtimes) if (r.Node is { } n) latest[n] = r;
        var byHeight = latest.Values.GroupBy(r => r.Height);
        var agree = byHeight.All(g => g.Select(r => r.Digest()).Distinct().Count() == 1);
        return (violations, agree);
    }
}
