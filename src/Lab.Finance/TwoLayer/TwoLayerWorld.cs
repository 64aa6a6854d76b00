using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Finance.Chain;
using Lab.Finance.Evidence;
using Lab.Finance.Securities;
using Lab.Finance.Securities.Market;
using Lab.Ledger.Contracts;
using Lab.Ledger.State;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.TwoLayer;

/// <summary>One chain of a two-layer deployment: its name (node names start with <c>name-</c>), the protocol and options
/// it runs (<see cref="SettlementChain"/>), and, for a business chain, how often it is anchored on the regulator chain.</summary>
public sealed record LayerChain(string Name, bool IsRegulator, SettlementChain Chain, Duration AnchorEvery);

/// <summary>What the two-layer deployment adds to a securities market (issue 14 §4).</summary>
public sealed record TwoLayerOptions
{
    /// <summary>The chains, in the order their nodes are laid out; exactly one is the regulator chain.</summary>
    public required IReadOnlyList<LayerChain> Chains { get; init; }
    /// <summary>The regulator runs its cross-chain query this often. Default 1 min.</summary>
    public Duration QueryEvery { get; init; } = Duration.FromMinutes(1);
    /// <summary>Region of the regulator's read replica (its query node).</summary>
    public required string RegulatorRegion { get; init; }
    /// <summary>Bytes of one trade transaction on a business chain (assumption: ids, parties, security, quantity, price, signature).</summary>
    public int TradeBytes { get; init; } = 256;
    /// <summary>Contract CPU per trade on every business replica.</summary>
    public Duration CpuPerTrade { get; init; } = Duration.FromMicros(30);
    /// <summary>Anchorer CPU per Merkle leaf (about two SHA-256 of 64 bytes; this machine: ~0.5 µs each, LedgerCryptoBenchmarks).</summary>
    public Duration CpuPerLeaf { get; init; } = Duration.FromMicros(1);
}

/// <summary>
/// A two-layer deployment on one clock and one network (issue 14 §4): regional business chains, each carrying the trades
/// of the securities assigned to it (security s on business chain s mod k, in list order), and a regulator chain above
/// them. Nodes: each chain's replicas in list order (<c>name-n0</c>, ...; <see cref="ChainSlot"/>), then per business chain
/// its exchange (<c>name-exchange</c>) and its anchorer (<c>name-anchorer</c>), then the regulator's read replica
/// (<c>regulator-view</c>). Replica 0 of each business chain feeds its committed blocks to the chain's anchorer and to the
/// regulator's read replica; the anchorer stores a Merkle root over them on the regulator chain (<see cref="Anchorer"/>);
/// every chain keeps its own agreement and validity checkers.
/// </summary>
public static class TwoLayerWorld
{
    /// <summary>Name of the regulator's read replica (its query node).</summary>
    public const string RegulatorView = "regulator-view";
    /// <summary>The business replica (index within its chain) whose committed blocks feed the readers.</summary>
    public const int FeedReplica = 0;

    public static TwoLayerSpec Build(SecuritiesOptions market, TwoLayerOptions options, NetworkSpec network, ulong seed, SimTime? runEnd = null)
    {
        var regulators = options.Chains.Count(c => c.IsRegulator);
        if (regulators != 1) throw new ArgumentException($"a two-layer deployment has exactly one regulator chain, not {regulators}");
        var business = options.Chains.Where(c => !c.IsRegulator).ToList();
        if (business.Count == 0) throw new ArgumentException("a two-layer deployment needs at least one business chain");
        var rules = MarketRules.Named(market.Market);
        var setup = SecuritiesWorld.Setup(market, rules, seed, null, runEnd);
        int Region(string name)
        {
            var i = network.RegionIndex(name);
            return i >= 0 ? i : throw new ArgumentException($"region '{name}' is not in the network (regions: {string.Join(", ", network.Regions)})");
        }

        // Node ids: the chains' replicas first, in list order; then two institutions per business chain; then the view.
        var firsts = new List<int>();
        var replicaTotal = 0;
        foreach (var c in options.Chains) { firsts.Add(replicaTotal); replicaTotal += c.Chain.Options.Nodes; }
        NodeId ExchangeOf(int b) => new(replicaTotal + 2 * b);
        NodeId AnchorerOf(int b) => new(replicaTotal + 2 * b + 1);
        var view = new NodeId(replicaTotal + 2 * business.Count);

        var spec = new TwoLayerSpec(setup, options) { View = view };
        var nodes = new List<NodeSpec>();
        var worlds = new List<ChainWorld>();
        ChainAccess? regulatorAccess = null;
        for (int i = 0; i < options.Chains.Count; i++)
        {
            var layer = options.Chains[i];
            var b = business.IndexOf(layer);
            Func<IStateMachine> machine;
            if (layer.IsRegulator)
            {
                var members = new Membership().Add(MarketNames.Regulator, Membership.Regulator);
                foreach (var bc in business) members.Add(bc.Name + "-anchorer", EvidenceContract.RecorderRole);
                machine = () =>
                {
                    var rt = new ContractRuntime(members, [new EvidenceContract()], new Dictionary<string, string>(),
                        new ContractRuntimeOptions { CpuPerCall = Duration.FromMicros(50), KeepEvents = false });
                    spec.RegulatorRuntimes.Add(rt);
                    return rt;
                };
            }
            else
            {
                var commits = new CommitTimes();
                spec.Commits.Add(commits);
                var feed = new NodeId(firsts[i] + FeedReplica);
                var chainIndex = b;
                machine = () =>
                {
                    var ledger = new PositionLedger(chainIndex, setup.Members, setup.Securities, options.CpuPerTrade, feed, [AnchorerOf(chainIndex), view], commits);
                    spec.Ledgers.Add(ledger);
                    return ledger;
                };
            }
            var world = ChainWorld.Build(layer.Chain.Protocol, layer.Chain.Options with { StateMachine = machine },
                WorkloadOptions.None with { RetryTimeout = layer.Chain.RetryTimeout }, network, new ChainSlot(firsts[i], layer.Name + "-"),
                layer.Chain.Byzantine, keySeed: seed);
            if (world.Nodes.Count != layer.Chain.Options.Nodes)
                throw new ArgumentException($"chain {layer.Name}: twins and load clients are not laid out in a two-layer deployment");
            nodes.AddRange(world.Nodes);
            worlds.Add(world);
            if (layer.IsRegulator) regulatorAccess = world.Access;
        }

        int Position(LayerChain c) => options.Chains.Select((x, i) => (x, i)).First(p => ReferenceEquals(p.x, c)).i;
        var trades = setup.Tape.Trades;
        for (int b = 0; b < business.Count; b++)
        {
            var layer = business[b];
            var chainIndex = b;
            var access = worlds[Position(layer)].Access;
            // Security s trades on business chain s mod k: each regional tape keeps the market's times and indices.
            var own = trades.Where(t => t.Security % business.Count == chainIndex).ToList();
            var tape = RegionalTape(own);
            spec.Tapes.Add(tape);
            var region = Region(layer.Chain.Options.Placement is { Count: > 0 } p ? p[0] : network.Regions[firsts[Position(layer)] % network.Regions.Count]);
            var log = new AnchorLog();
            spec.Anchors.Add(log);
            nodes.Add(new NodeSpec(layer.Name + "-exchange", region, "exchange", () => new RegionalExchange(tape.Tape, access.NewTracker(untilFinal: true), options.TradeBytes)));
            nodes.Add(new NodeSpec(layer.Name + "-anchorer", region, "anchorer",
                () => new Anchorer(chainIndex, layer.Name, layer.AnchorEvery, regulatorAccess!.NewTracker(untilFinal: true), options.CpuPerLeaf, log)));
        }
        nodes.Add(new NodeSpec(RegulatorView, Region(options.RegulatorRegion), "regulator",
            () => new RegulatorView(business.Count, setup.Members, options.QueryEvery, spec.Queries, spec.Arrivals)));
        for (int b = 0; b < business.Count; b++)
        {
            if (nodes[ExchangeOf(b).Value].Name != business[b].Name + "-exchange") throw new InvalidOperationException("node layout");
            if (nodes[AnchorerOf(b).Value].Name != business[b].Name + "-anchorer") throw new InvalidOperationException("node layout");
        }
        if (nodes[view.Value].Name != RegulatorView) throw new InvalidOperationException("node layout");
        spec.Nodes = nodes;
        spec.Worlds = worlds;
        return spec;
    }

    /// <summary>A regional tape: the market's trades of the region's securities, renumbered 0.. (the trade's market index
    /// stays in <see cref="RegionalTape.MarketIndex"/>).</summary>
    private static RegionalTape RegionalTape(List<Trade> own)
    {
        var renumbered = own.Select((t, i) => t with { Index = i }).ToList();
        return new RegionalTape(TradeTape.Of(renumbered), [.. own.Select(t => t.Index)]);
    }
}

/// <summary>A business chain's share of the market's tape.</summary>
public sealed record RegionalTape(TradeTape Tape, IReadOnlyList<int> MarketIndex);

/// <summary>A built two-layer world: its nodes and chains, and what its nodes record for <see cref="TwoLayerResults"/>.</summary>
public sealed class TwoLayerSpec(MarketSetup setup, TwoLayerOptions options)
{
    public MarketSetup Setup => setup;
    public TwoLayerOptions Options => options;
    public IReadOnlyList<NodeSpec> Nodes { get; internal set; } = [];
    /// <summary>Each chain's world, in <see cref="TwoLayerOptions.Chains"/> order.</summary>
    public IReadOnlyList<ChainWorld> Worlds { get; internal set; } = [];
    public NodeId View { get; internal init; }
    /// <summary>Per business chain (in order): commit times and blocks at its feed replica, its tape, its anchorer's log.</summary>
    public List<CommitTimes> Commits { get; } = [];
    public List<RegionalTape> Tapes { get; } = [];
    public List<AnchorLog> Anchors { get; } = [];
    public List<RegulatorQuery> Queries { get; } = [];
    /// <summary>Per block the regulator's view received: its chain and how long after its commit it arrived.</summary>
    public List<(int Chain, Duration Delay)> Arrivals { get; } = [];
    /// <summary>Every business ledger and regulator runtime built (one per replica start); touched between windows only.</summary>
    public List<PositionLedger> Ledgers { get; } = [];
    public List<ContractRuntime> RegulatorRuntimes { get; } = [];

    /// <summary>The business chains, in order.</summary>
    public IReadOnlyList<LayerChain> Business => [.. options.Chains.Where(c => !c.IsRegulator)];
    public LayerChain Regulator => options.Chains.Single(c => c.IsRegulator);

    /// <summary>Every chain's agreement and validity checkers (each looks at its own replicas only).</summary>
    public IReadOnlyList<ISimulationObserver> Observers => [.. Worlds.SelectMany(w => new ISimulationObserver[] { w.Agreement, w.Validity })];
}
