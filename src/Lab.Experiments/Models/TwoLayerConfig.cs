using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Experiments.Values;
using Lab.Experiments.Yaml;
using Lab.Finance.Chain;
using Lab.Finance.Securities;
using Lab.Finance.TwoLayer;
using Lab.Ledger.Crypto;
using Lab.Reports.Statistics;
using Lab.Sim.Kernel;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>One entry of <c>chains:</c> as written, with where each part was written.</summary>
public sealed record ChainEntry(SourceMark Mark, string Name, SourceMark NameMark, string Role, SourceMark RoleMark, string Protocol, YNode ProtocolNode,
    long Nodes, YNode? NodesNode, Placement? Placement, YNode? PlacementNode, long? MaxTx, Duration? BlockTimeout, Size? MaxSize, YNode? BlockNode,
    Duration? AnchorEvery, SourceMark? AnchorMark);

/// <summary>
/// <c>chains:</c> — several chains on one clock and one network (issue 14 §4): regional business chains and one regulator
/// chain above them, each with its own name, protocol, nodes, placement and block cutting. Replaces <c>chain:</c> (a file
/// has one or the other; single-chain files are unchanged). So far the securities scenario runs on it
/// (<see cref="TwoLayerWorld"/>): its trades split over the business chains by security, anchored on the regulator chain.
/// </summary>
public static partial class TwoLayerConfig
{
    public const string ChainsKey = "chains";
    private const string Business = "business", Regulator = "regulator";
    private static readonly string[] EntryKeys = ["name", "role", "protocol", "nodes", "placement", "block", "anchor-every"];
    private static readonly string[] BlockKeys = ["max-tx", "max-size", "timeout"];

    private static readonly KeyType ChainsType = new StructuredType("chain list",
        "- { name: shanghai, role: business, protocol: pbft, nodes: 4, placement: shanghai, anchor-every: 10s }", Parse, w =>
    {
        w.WriteString("type", "array");
        w.WriteStartObject("items");
        w.WriteString("type", "object");
        w.WriteStartArray("required"); w.WriteStringValue("name"); w.WriteStringValue("role"); w.WriteStringValue("protocol"); w.WriteEndArray();
        w.WriteStartObject("properties");
        void Prop(string name, string type, string description)
        {
            w.WriteStartObject(name);
            if (type.Length > 0) w.WriteString("type", type);
            w.WriteString("description", description);
            w.WriteEndObject();
        }
        Prop("name", "string", "Lower-case letters and digits; node names start with it.");
        w.WriteStartObject("role"); w.WriteStartArray("enum"); w.WriteStringValue(Business); w.WriteStringValue(Regulator); w.WriteEndArray(); w.WriteEndObject();
        Prop("protocol", "string", "The chain's consensus protocol (pbft, raft, hotstuff, solo).");
        Prop("nodes", "", "Replicas of this chain (default 4).");
        Prop("placement", "", "A region name or a list of regions cycled through.");
        Prop("block", "object", "max-tx, max-size, timeout, as chain.block.");
        Prop("anchor-every", "string", "Business chains: how often their blocks are anchored on the regulator chain (default 10s).");
        w.WriteEndObject();
        w.WriteBoolean("additionalProperties", false);
        w.WriteEndObject();
    });

    public static IReadOnlyList<SchemaKey> Keys { get; } =
    [
        new(ChainsKey, ChainsType, "Several chains on one network instead of `chain:` (two-layer deployment): each entry has name, role (`business` or `regulator`; exactly one regulator), protocol, nodes, placement, block { max-tx, max-size, timeout } and, for a business chain, anchor-every (how often its blocks are anchored on the regulator chain, default 10s). Nodes are named <name>-n0, <name>-n1, ..."),
        Key.Time("scenario.regulator.query-every", "With chains: how often the regulator runs its cross-chain query (every member's total exposure over all business chains).", "1min", min: 1e-3),
    ];

    public static IReadOnlyList<MetricInfo> Metrics { get; } = [.. TwoLayerMetrics.Descriptions.Select(d => new MetricInfo(d.Name, d.Description))];

    /// <summary>Whether the run has <c>chains:</c>.</summary>
    public static bool Has(RunConfig c) => c.Has(ChainsKey);

    [GeneratedRegex("^[a-z][a-z0-9]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex ChainName();

    private static object? Parse(YNode node, SchemaKey key, ValueContext ctx)
    {
        if (node is not YSequence seq || seq.Items.Count == 0) { ctx.Error(node.Mark, "expected a list of chains, each '- { name: ..., role: business, protocol: pbft, nodes: 4 }'"); return null; }
        var list = new List<ChainEntry>();
        var ok = true;
        foreach (var item in seq.Items)
        {
            if (ParseEntry(item, ctx) is { } e) list.Add(e); else ok = false;
        }
        return ok ? list : null;
    }

    private static ChainEntry? ParseEntry(YNode item, ValueContext ctx)
    {
        if (item is not YMapping map) { ctx.Error(item.Mark, "a chain is a mapping such as '{ name: shanghai, role: business, protocol: pbft }'"); return null; }
        var ok = true;
        bool Fail(SourceMark mark, string message) { ctx.Error(mark, message); ok = false; return false; }
        YScalar? name = null, role = null, protocol = null;
        YNode? nodesNode = null, placementNode = null, blockNode = null;
        long nodes = 4;
        Placement? placement = null;
        long? maxTx = null;
        Duration? timeout = null, anchor = null;
        Size? maxSize = null;
        SourceMark? anchorMark = null;
        foreach (var (k, v) in map.Entries)
        {
            switch (k.Value)
            {
                case "name":
                    if (v is YScalar { IsNull: false } n && ChainName().IsMatch(n.Value)) name = n;
                    else Fail(v.Mark, "name: expected lower-case letters and digits, starting with a letter (e.g. shanghai)");
                    break;
                case "role":
                    if (v is YScalar { Value: Business or Regulator } r) role = r;
                    else Fail(v.Mark, $"role: expected {Business} or {Regulator}");
                    break;
                case "protocol":
                    if (v is YScalar { IsNull: false } p) protocol = p;
                    else Fail(v.Mark, "protocol: expected a chain protocol such as pbft or raft");
                    break;
                case "nodes":
                    nodesNode = v;
                    if (v is YScalar s && Units.Integer(s.Value, out var count) is null && count >= 1 && count <= 1000) nodes = count;
                    else Fail(v.Mark, "nodes: expected a whole number of replicas from 1 to 1000");
                    break;
                case "placement":
                    placementNode = v;
                    if (v is YScalar { IsNull: false } one) placement = new Placement([(one.Value, one.Mark)]);
                    else if (v is YSequence regions && regions.Items.Count > 0 && regions.Items.All(i => i is YScalar { IsNull: false }))
                        placement = new Placement([.. regions.Items.Cast<YScalar>().Select(i => (i.Value, i.Mark))]);
                    else Fail(v.Mark, "placement: expected a region name or a list of region names");
                    break;
                case "block":
                    blockNode = v;
                    if (v is not YMapping block) { Fail(v.Mark, "block: expected a mapping such as '{ max-tx: 500, timeout: 200ms }'"); break; }
                    foreach (var (bk, bv) in block.Entries)
                    {
                        var text = bv is YScalar bs ? bs.Value : "";
                        switch (bk.Value)
                        {
                            case "max-tx":
                                if (Units.Integer(text, out var mt) is null && mt >= 1) maxTx = mt; else Fail(bv.Mark, "block.max-tx: expected a whole number of transactions, at least 1");
                                break;
                            case "max-size":
                                if (Units.Size(text, out var sz) is null && sz.Bytes >= 1) maxSize = sz; else Fail(bv.Mark, "block.max-size: expected a size such as 1MB");
                                break;
                            case "timeout":
                                if (Units.Duration(text, out var to) is null && to > Duration.Zero) timeout = to; else Fail(bv.Mark, "block.timeout: expected a positive duration such as 200ms");
                                break;
                            default:
                                Fail(bk.Mark, $"unknown block key '{bk.Value}' (use {string.Join(", ", BlockKeys)})");
                                break;
                        }
                    }
                    break;
                case "anchor-every":
                    anchorMark = v.Mark;
                    if (v is YScalar a && Units.Duration(a.Value, out var every) is null && every >= Duration.FromMillis(1)) anchor = every;
                    else Fail(v.Mark, "anchor-every: expected a duration of at least 1ms, such as 10s");
                    break;
                default:
                    var hint = Suggest.Closest(k.Value, EntryKeys);
                    Fail(k.Mark, $"unknown chain key '{k.Value}'" + (hint is null ? $" (use {string.Join(", ", EntryKeys)})" : $"; did you mean '{hint}'?"));
                    break;
            }
        }
        if (ok && (name is null || role is null || protocol is null))
            Fail(map.Mark, "a chain needs name, role and protocol");
        if (!ok) return null;
        return new ChainEntry(map.Mark, name!.Value, name.Mark, role!.Value, role.Mark, protocol!.Value, protocol, nodes, nodesNode, placement, placementNode,
            maxTx, timeout, maxSize, blockNode, anchor, anchorMark);
    }

    /// <summary>The rules between the entries and the rest of the file; nothing to check without <c>chains:</c>.</summary>
    public static void Check(RunConfig c, Diagnostics problems, bool onChain)
    {
        if (c.GetOr<List<ChainEntry>?>(ChainsKey, null) is not { } chains) return;
        var mark = c.MarkOf(ChainsKey);
        foreach (var (key, value) in c.Values)
            if (key.StartsWith("chain.", StringComparison.Ordinal) && value.Origin is not "default")
                problems.Error(c.MarkOf(key), key, "chains: lists every chain with its own protocol, nodes, placement and block: remove this key (or chains:)");
        if (c.GetOr<List<Faults.ByzantineSpec>>("byzantine", []).Count > 0)
            problems.Error(c.MarkOf("byzantine"), "byzantine", "Byzantine nodes are not modelled with several chains yet: remove byzantine (or chains:)");
        if (!onChain)
            problems.Error(mark, ChainsKey, "several chains settle the trades on chain: set settlement.regime: atomic-dvp");
        // The business chains record positions and cash (PositionLedger), not the single-chain DvP contract: its settings would be silently ignored.
        foreach (var (key, value) in c.Values)
            if (key.StartsWith("settlement.", StringComparison.Ordinal) && key != "settlement.regime" && value.Origin is not "default")
                problems.Error(c.MarkOf(key), key, "with chains: the business chains record trades on position ledgers, not the DvP contract this setting tunes: remove it (or chains:)");
        var regions = c.Strings("network.regions");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in chains)
        {
            if (!seen.Add(e.Name)) problems.Error(e.NameMark, ChainsKey, $"two chains are named '{e.Name}'");
            var model = ModelRegistry.Default.Find(ModelKind.Protocol, e.Protocol);
            var allowed = ModelRegistry.Default.Protocols.OfType<IChainModel>().Select(m => m.Name).ToList();
            if (model is not IChainModel)
                problems.Error(e.ProtocolNode.Mark, ChainsKey, $"chain {e.Name}: protocol '{e.Protocol}' is not a chain protocol; use one of: {string.Join(", ", allowed)}");
            if (e.Placement is { } p && regions.Count > 0)
                foreach (var (region, at) in p.Regions)
                    if (!regions.Contains(region))
                    {
                        var hint = Suggest.Closest(region, regions);
                        problems.Error(at, ChainsKey, $"chain {e.Name}: unknown region '{region}'" + (hint is null ? $" (regions: {string.Join(", ", regions)})" : $"; did you mean '{hint}'?"));
                    }
            if (e.Role == Regulator && e.AnchorMark is { } am)
                problems.Error(am, ChainsKey, $"chain {e.Name} is the regulator chain: the business chains are anchored on it, it anchors nothing; remove anchor-every");
        }
        var regulators = chains.Count(e => e.Role == Regulator);
        if (regulators != 1)
            problems.Error(regulators == 0 ? mark : chains.Where(e => e.Role == Regulator).ElementAt(1).RoleMark, ChainsKey,
                $"expected exactly one chain with role: regulator, found {regulators}");
        if (chains.All(e => e.Role == Regulator))
            problems.Error(mark, ChainsKey, "no business chain: add at least one chain with role: business");
    }

    /// <summary>The two-layer world of one run: every chain from its entry, the securities market from the rest of the file.</summary>
    public static World Build(RunContext context, SecuritiesOptions market)
    {
        var c = context.Config;
        var chains = c.Get<List<ChainEntry>>(ChainsKey);
        var layers = new List<LayerChain>();
        foreach (var e in chains)
        {
            var model = context.Registry.Find(ModelKind.Protocol, e.Protocol) as IChainModel
                        ?? throw new ArgumentException($"chain {e.Name}: '{e.Protocol}' is not a chain protocol");
            var own = new RunConfig(c, Overrides(e));
            var ctx = new RunContext { Config = own, Seed = context.Seed, Network = context.Network, Registry = context.Registry, Protocol = model };
            var configured = ChainConfig.Chain(ctx);
            var options = configured with { Signing = new TransactionSigning(SignatureMode.Modelled, configured.Signing.Costs) };
            var chain = new SettlementChain(model.Protocol(ctx), options) { RetryTimeout = c.Time("workload.retry-timeout") };
            layers.Add(new LayerChain(e.Name, e.Role == Regulator, chain, e.AnchorEvery ?? Duration.FromSeconds(10)));
        }
        var two = new TwoLayerOptions
        {
            Chains = layers,
            QueryEvery = c.Time("scenario.regulator.query-every"),
            RegulatorRegion = market.Placement.Regulator,
            CpuPerTrade = c.Time("settlement.cpu-per-trade"),
        };
        var spec = TwoLayerWorld.Build(market, two, context.Network, context.Seed, SimTime.Zero + c.Time("duration"));
        var world = new World();
        world.Nodes.AddRange(spec.Nodes);
        world.Observers.AddRange(spec.Observers);
        world.Finish = run =>
        {
            var found = TwoLayerResults.Derive(run, spec);
            foreach (var (at, text) in found.Violations)
            {
                var m = run.Metrics;
                m.Counters[Lab.Consensus.Common.StandardMetrics.SafetyViolations] = m.Counter(Lab.Consensus.Common.StandardMetrics.SafetyViolations) + 1;
                m.Findings.Add(new Lab.Sim.Metrics.Finding(at, Lab.Consensus.Common.StandardMetrics.SafetyFinding, text));
            }
        };
        return world;
    }

    /// <summary>The <c>chain.*</c> keys of one entry, as the protocol models read them.</summary>
    private static IEnumerable<KeyValuePair<string, ConfigValue>> Overrides(ChainEntry e)
    {
        KeyValuePair<string, ConfigValue> Set(string key, object value, YNode? node) => new(key, new ConfigValue(value, node ?? e.ProtocolNode, ChainsKey));
        yield return Set("chain.protocol", e.Protocol, e.ProtocolNode);
        yield return Set("chain.nodes", e.Nodes, e.NodesNode);
        if (e.Placement is { } p) yield return Set("chain.placement", p, e.PlacementNode);
        if (e.MaxTx is { } mt) yield return Set("chain.block.max-tx", mt, e.BlockNode);
        if (e.BlockTimeout is { } to) yield return Set("chain.block.timeout", to, e.BlockNode);
        if (e.MaxSize is { } ms) yield return Set("chain.block.max-size", ms, e.BlockNode);
    }

    /// <summary>
    /// The report's opening sentence for a two-layer run: how long after commit a business block was anchored, how far
    /// behind the chains the regulator's cross-chain view was, and what anchoring cost, over all replications (95% intervals).
    /// Null when no point ran several chains.
    /// </summary>
    public static string? Headline(IReadOnlyList<Lab.Reports.PointResult> points)
    {
        var p = points.FirstOrDefault(x => Headlines.First(x, TwoLayerMetrics.BusinessChains) > 0);
        if (p is null) return null;
        Estimate Of(string key) => Headlines.Over(p.Replications.Select(r => r.Metrics.Scalars.TryGetValue(key, out var v) ? v : double.NaN).Where(double.IsFinite).ToList());
        string S(Estimate e) => Human(e.Mean) + (e.Low == e.High ? "" : $" [{Human(e.Low)}, {Human(e.High)}]");
        string Pct(Estimate e) => (e.Mean * 100).ToString(e.Mean < 0.01 ? "0.###" : "0.##", CultureInfo.InvariantCulture) + "%";
        var chains = Headlines.First(p, TwoLayerMetrics.BusinessChains).ToString("0", CultureInfo.InvariantCulture);
        var every = Human(Headlines.First(p, TwoLayerMetrics.AnchorEvery));
        var delay = Lab.Sim.Metrics.Quantile.Name(TwoLayerMetrics.AnchorDelay, 0.5);
        var delay99 = Lab.Sim.Metrics.Quantile.Name(TwoLayerMetrics.AnchorDelay, 0.99);
        var stale = Lab.Sim.Metrics.Quantile.Name(TwoLayerMetrics.Staleness, 0.5);
        var stale99 = Lab.Sim.Metrics.Quantile.Name(TwoLayerMetrics.Staleness, 0.99);
        var view = Lab.Sim.Metrics.Quantile.Name(TwoLayerMetrics.ViewDelay, 0.5);
        var view99 = Lab.Sim.Metrics.Quantile.Name(TwoLayerMetrics.ViewDelay, 0.99);
        return $"With {chains} business chains anchored on a regulator chain every {every}, a business block was anchored a median {S(Of(delay))} after it committed " +
               $"(p99 {S(Of(delay99))}); the regulator's read replica received each block a median {S(Of(view))} after its commit (p99 {S(Of(view99))}), so its " +
               $"cross-chain answers were behind a chain in {Pct(Of(TwoLayerMetrics.StaleShare))} of queries (staleness p50 {S(Of(stale))}, p99 {S(Of(stale99))}, " +
               $"at most {S(Of(TwoLayerMetrics.StalenessMax))}); the anchors added {Pct(Of(TwoLayerMetrics.AnchorByteShare))} to the business chains' transaction bytes, " +
               $"carried by the regulator chain ({p.Replications.Count} replication(s), 95% intervals in brackets).";
    }

    private static string Human(double seconds) =>
        seconds >= 120 ? (seconds / 60).ToString("0.#", CultureInfo.InvariantCulture) + " min"
        : seconds >= 1 ? seconds.ToString("0.##", CultureInfo.InvariantCulture) + " s"
        : (seconds * 1000).ToString("0.#", CultureInfo.InvariantCulture) + " ms";
}
