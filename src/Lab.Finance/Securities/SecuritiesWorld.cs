using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Calendars;
using Lab.Finance.Chain;
using Lab.Finance.Institutions;
using Lab.Finance.Securities.Market;
using Lab.Finance.Securities.Regimes;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Securities;

/// <summary>
/// Builds a securities world for the kernel: the market (prices, balance sheets, orders, outages —
/// the same for every variant of a seed), the institutions of the chosen settlement variant (and, on
/// chain, the chain's replicas laid out by <see cref="ChainWorld"/>, replicas first), an observer that
/// collects per-trade records at the end, and the function that turns a <see cref="RunResult"/> into
/// <see cref="SecuritiesResults"/> (writing its scalars and series, and on chain the chain's standard
/// metrics, into the run's metrics). Call once per run.
/// </summary>
public static class SecuritiesWorld
{
    /// <param name="network">The run's network: institution regions are looked up by name in it.</param>
    /// <param name="chain">Required for <see cref="OnChainSettlement"/>: the protocol the chain runs (any registered one);
    /// ignored for deferred net settlement.</param>
    /// <param name="tape">Orders to replay instead of generating them from the seed (tests, recorded days).</param>
    /// <param name="runEnd">The run's end time, if later than <see cref="SuggestedEnd"/>: institutions keep their daily
    /// cycles going until then.</param>
    public static SecuritiesWorldSpec Build(SecuritiesOptions options, NetworkSpec network, ulong seed, SettlementChain? chain = null, TradeTape? tape = null, SimTime? runEnd = null)
    {
        var rules = MarketRules.Named(options.Market);
        var setup = Setup(options, rules, seed, tape, runEnd);
        var names = setup.Names;
        int Region(string name)
        {
            var i = network.RegionIndex(name);
            if (i < 0) throw new ArgumentException($"institution region '{name}' is not in the network (regions: {string.Join(", ", network.Regions)})");
            return i;
        }
        var place = options.Placement;
        var institutions = new List<NodeSpec>();
        var observer = new SecuritiesObserver();
        for (int m = 0; m < names.Members; m++)
        {
            var index = m;
            institutions.Add(new NodeSpec(names.Member(m), Region(place.MemberRegions[m % place.MemberRegions.Count]), "member", () => new Member(index)));
        }
        institutions.Add(new NodeSpec(MarketNames.Regulator, Region(place.Regulator), "regulator", () => new Regulator()));
        var injected = options.InjectedDefaults.Select(d =>
        {
            var at = setup.Clock.NanosAt(DateOnly.FromDateTime(d.LocalTime), TimeOnly.FromDateTime(d.LocalTime), rules.Calendar);
            return (Resolve(d.Member, at, setup), at);
        }).ToList();

        OnChainGenesis? genesis = null;
        SecuritiesPrivacy? privacy = null;
        ChainWorld? chainWorld = null;
        var nodes = new List<NodeSpec>();
        switch (options.Settlement)
        {
            case DeferredNetSettlement d:
            {
                d.Regime.Validate();
                var clearing = new ClearingSetup
                {
                    Regime = d.Regime, InstructionFailRate = d.InstructionFailRate, BorrowAvailability = d.BorrowAvailability,
                    BorrowDelay = d.BorrowDelay, LendableShare = d.LendableShare, LiquidityFacility = d.LiquidityFacility, InjectedDefaults = injected,
                };
                nodes.AddRange(institutions);
                nodes.Add(new NodeSpec(MarketNames.Exchange, Region(place.Exchange), "exchange", () => new Exchange(setup, d.Regime)));
                nodes.Add(new NodeSpec(MarketNames.Ccp, Region(place.Ccp), "ccp", () => new Ccp(setup, clearing)));
                nodes.Add(new NodeSpec(MarketNames.Csd, Region(place.Csd), "csd", () => new Csd(setup, clearing)));
                nodes.Add(new NodeSpec(MarketNames.Bank, Region(place.Bank), "settlement-bank", () => new SettlementBank(setup, clearing, options.Orders.BalanceSheet.FundingRate)));
                break;
            }
            case OnChainSettlement c:
            {
                if (chain is null) throw new ArgumentException("on-chain settlement needs a chain (SettlementChain)");
                var onChain = c with
                {
                    FundingRate = options.Orders.BalanceSheet.FundingRate,
                    Privacy = options.Privacy ? new SecuritiesPrivacy(names, new Privacy.Keyring(seed)) : null,
                };
                privacy = onChain.Privacy;
                genesis = OnChainGenesis.Of(setup, onChain);
                var members = Consortium(names);
                var issuers = Issuers(names);
                var calls = genesis.Calls(setup);
                string? metricsNode = null;
                IStateMachine Runtime()
                {
                    var rt = new ContractRuntime(members, [new TokenContract(), new DvpContract(names, c.CpuPerTrade)], issuers,
                        new ContractRuntimeOptions { CpuPerCall = Duration.FromMicros(50), MetricsNode = metricsNode, KeepEvents = false });
                    rt.ApplyGenesis(calls);
                    observer.Runtimes.Add(rt);
                    return rt;
                }
                // The exchange submits each DvP (and each credit draw) through the chain's own client, under the protocol's
                // finality rule, and resends until final however long the chain is down.
                chainWorld = chain.Build(network, seed, Runtime,
                    access => [.. institutions, new NodeSpec(MarketNames.Exchange, Region(place.Exchange), "exchange",
                        () => new DvpGateway(setup, onChain, access.NewTracker(untilFinal: true), injected))]);
                metricsNode = chainWorld.Nodes[0].Name;
                nodes.AddRange(chainWorld.Nodes);
                break;
            }
            default:
                throw new ArgumentException($"unknown settlement variant {options.Settlement.GetType().Name}");
        }

        SecuritiesResults Derive(RunResult run)
        {
            chainWorld?.Complete(run);
            var results = SecuritiesDerivation.Derive(run, observer, options, setup, genesis);
            // Who can read what (issue 14 §6), from the state of the replica that got furthest.
            if (privacy is null || observer.Runtimes.Where(r => r.Node is not null).OrderByDescending(r => r.Height).ThenBy(r => r.Node, StringComparer.Ordinal).FirstOrDefault() is not { } latest)
                return results;
            var matrix = privacy.Derive(latest.State.Get, setup.Tape.Trades.Select(DvpInstruction.Of));
            return results with { PrivacyBreaches = SecuritiesPrivacy.Write(run, matrix) };
        }
        return new SecuritiesWorldSpec(nodes, [observer, .. chainWorld?.Observers ?? []], SuggestedEnd(options), setup, Derive, chainWorld);
    }

    /// <summary>Declared-default targets that depend on the seed: <see cref="SecuritiesOptions.LargestMember"/> is the member
    /// with the most business; <see cref="SecuritiesOptions.MostExposedMember"/> the one that bought most, net, since the start
    /// of the previous business day up to the declaration (what it has not yet paid for under T+1) — the same member in every
    /// variant, because it is read from the orders, not from settlement.</summary>
    public static int Resolve(int member, long atNs, MarketSetup setup)
    {
        if (member >= 0) return member;
        if (member == SecuritiesOptions.LargestMember)
            return setup.Sheet.Members.OrderByDescending(x => x.Activity).ThenBy(x => x.Index).First().Index;
        var cal = setup.Calendar;
        var from = setup.At(PreviousBusinessDay(cal, setup.LocalDate(atNs)), TimeOnly.MinValue);
        var net = new long[setup.Members];
        foreach (var t in setup.Tape.Trades)
        {
            if (t.ExecutedAtNs < from || t.ExecutedAtNs > atNs) continue;
            net[t.Buyer] += t.Value;
            net[t.Seller] -= t.Value;
        }
        return Enumerable.Range(0, setup.Members).OrderByDescending(m => net[m]).ThenBy(m => m).First();
    }

    private static DateOnly PreviousBusinessDay(Lab.Finance.Calendars.BusinessCalendar cal, DateOnly d)
    {
        do d = d.AddDays(-1); while (!cal.IsBusinessDay(d));
        return d;
    }

    /// <summary>The market of a run: prices over the whole horizon, balance sheets, orders and outages, from the seed.</summary>
    public static MarketSetup Setup(SecuritiesOptions options, MarketRules rules, ulong seed, TradeTape? tape = null, SimTime? runEnd = null)
    {
        var clock = new RunClock(options.Start);
        var market = options.Orders;
        var names = new MarketNames(market.Members, market.Securities, rules.Currency);
        var end = SuggestedEnd(options);
        var horizon = Math.Max(end.Nanos, runEnd is { } re && re != SimTime.MaxValue ? re.Nanos : 0);
        var prices = PricePath.Generate(market.Prices, rules, clock, market.Securities, horizon, seed);
        var days = OrderFlow.TradingDates(market, rules.Calendar, clock);
        var sheet = BalanceSheet.Draw(market, rules, prices, market.Trades / Math.Max(1.0, days.Count), seed);
        tape ??= OrderFlow.Generate(market, rules, prices, sheet, clock, seed);
        var outages = OperationalOutages.Draw(market, rules.Calendar, clock, horizon, seed);
        return new MarketSetup { Rules = rules, Names = names, Clock = clock, Prices = prices, Sheet = sheet, Tape = tape, Outages = outages, HorizonNs = horizon };
    }

    /// <summary>
    /// When the run should end so the last trades settle: the last trading day, plus the regime's cycle, the buy-in age
    /// and one more settlement day for recycled fails (after a declared default, at least its liquidation days and the same
    /// again), at the money settlement time plus two hours. On chain: the day after the last trading day. Use the latest over the
    /// experiment's variants for all of them.
    /// </summary>
    public static SimTime SuggestedEnd(SecuritiesOptions options)
    {
        var rules = MarketRules.Named(options.Market);
        var cal = rules.Calendar;
        var clock = new RunClock(options.Start);
        var lastDay = clock.LocalDate(SimTime.Zero + options.Orders.TradingWindow - Duration.FromNanos(1), cal);
        // The last trading day: the last business day in the window (or the first after the start, for a window inside a weekend).
        var T = lastDay;
        while (!cal.IsBusinessDay(T) && T > clock.LocalDate(SimTime.Zero, cal)) T = T.AddDays(-1);
        if (!cal.IsBusinessDay(T)) T = cal.NextBusinessDay(T);
        if (options.Settlement is not DeferredNetSettlement d)
            return new SimTime(Math.Max(0, clock.NanosAt(cal.NextBusinessDay(T), new TimeOnly(12, 0), cal)));
        var day = cal.SettlementDate(T, d.Regime.CycleDays + 1 + d.Regime.BuyInAfterDays);
        // After a declared default: liquidation over its days, then the market's side settles on the cycle.
        foreach (var (_, at) in options.InjectedDefaults)
        {
            var declared = DateOnly.FromDateTime(at);
            var closeOut = cal.SettlementDate(cal.IsBusinessDay(declared) ? declared : cal.NextBusinessDay(declared), d.Regime.LiquidationDays + d.Regime.CycleDays + 1 + d.Regime.BuyInAfterDays);
            if (closeOut > day) day = closeOut;
        }
        return new SimTime(Math.Max(0, clock.NanosAt(day, d.Regime.MoneyAt, cal) + Duration.FromHours(2).Nanos));
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
}

/// <summary>What <see cref="SecuritiesWorld.Build"/> returns to the experiment layer.</summary>
/// <param name="Nodes">Every node of the run (on chain: the chain's replicas first, then the institutions).</param>
/// <param name="Observers">Add each to the <see cref="Simulation"/> before running (on chain, the chain's checkers too).</param>
/// <param name="SuggestedEnd">Earliest sensible end time (last trades settled); use the max over variants.</param>
/// <param name="Setup">The run's market (prices, balance sheets, orders).</param>
/// <param name="Derive">Call once with the run's result: returns the figures and writes scalars and series into <c>run.Metrics</c>
/// (on chain also the chain's standard metrics, safety and validity findings).</param>
/// <param name="Chain">The chain on chain (its fault targets, checkers and finality rule); null under deferred net settlement.</param>
public sealed record SecuritiesWorldSpec(
    IReadOnlyList<NodeSpec> Nodes,
    IReadOnlyList<ISimulationObserver> Observers,
    SimTime SuggestedEnd,
    MarketSetup Setup,
    Func<RunResult, SecuritiesResults> Derive,
    ChainWorld? Chain)
{
    public TradeTape Tape => Setup.Tape;
}
