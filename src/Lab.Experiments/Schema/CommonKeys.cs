using System.Text.Json;
using Lab.Experiments.Faults;
using Lab.Experiments.Models;
using Lab.Experiments.Values;
using Lab.Experiments.Yaml;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Experiments.Schema;

/// <summary>Bandwidth for every region, or per region by name.</summary>
public sealed record RegionBandwidth(Bandwidth? All, IReadOnlyList<(string Region, Bandwidth Value, SourceMark Mark)> ByRegion);

/// <summary>The keys every experiment shares, whatever protocol or scenario it runs.</summary>
public static class CommonKeys
{
    public const string Variants = "variants";
    public const string Sweep = "sweep";
    public const string Verify = "verify";

    public static IReadOnlyList<SchemaKey> Build(ModelRegistry registry) =>
    [
        new("name", KeyType.Identifier, "Experiment name; also the folder under results/.") { Required = true },
        Key.Text("description", "What the experiment asks, in a sentence or two (shown in the report).", ""),
        Key.Int("seed", "Root seed: replications, nodes, network and faults draw from streams derived from it.", 1, min: 0) with { Max = long.MaxValue },
        new("duration", KeyType.Time, "Virtual time each run lasts.") { Default = "60s", Min = 1e-9 },
        Key.Time("warmup", "Metrics before this virtual time are excluded from the summary.", "0s"),
        Key.Int("replications", "Runs per variant and sweep point, with seeds derived from the root seed.", 1, min: 1, max: 10_000),
        Key.Int("max-events", "Stop a run after this many events (a guard against runaway protocols).", null, min: 1) with { Max = long.MaxValue },

        Key.Text("network.preset", "A network from scenarios/presets/networks/ by name (e.g. aws-3-regions) or a path to a preset file; keys given here override it."),
        Key.Text("network.description", "What the network represents (presets say where their figures come from)."),
        Key.Choice("network.model", "The network's rules: `nic` (each node has one uplink and one downlink shared by all its transfers; latency from the matrix plus jitter) or `simblock` (SimBlock's own: Pareto delay with scale mean − 5 ms and shape 0.2 × mean per message, no bandwidth charged by the network; needs a matrix, no jitter, no inter-region cap).", ["nic", "simblock"], "nic"),
        Key.List("network.regions", KeyType.Identifier, "Region names, in the order of the latency matrix rows.", "[default]"),
        new("network.one-way", Matrix, "One-way latency matrix between regions [from][to]."),
        new("network.rtt", Matrix, "Round-trip latency matrix between regions; one-way latency is half of it."),
        // Latencies of at most an hour and factors of at most 100 keep every message delay inside 64-bit nanoseconds (see FaultParser.MaxFactor).
        Key.TimeDistribution("network.latency", "One-way latency of every link when there is no matrix: a duration or a distribution.") with { Max = MaxLatency },
        Key.TimeDistribution("network.jitter", "Extra one-way delay drawn per message, added to the base latency.") with { Max = MaxLatency },
        Key.NumberDistribution("network.jitter-factor", "Factor drawn per message that multiplies the base latency (e.g. lognormal(sigma: 0.2)).") with { Max = 100 },
        new("network.bandwidth", KeyType.BandwidthType, "Upload and download capacity of every node's NIC (unlimited if absent): all of a node's messages share its uplink, one after another, and its downlink."),
        new("network.upload", PerRegion, "Upload capacity of each node's uplink: one value, or one per region by name."),
        new("network.download", PerRegion, "Download capacity of each node's downlink: one value, or one per region by name."),
        Key.Bandwidth("network.inter-region", "Capacity of any single link between two regions, on top of the NICs (only for networks that have such a cap)."),
        Key.Probability("network.loss", "Probability that a message is lost.", "0"),
        Key.Probability("network.duplication", "Probability that a message is delivered twice.", "0"),
        Key.Bool("network.fifo", "Messages on one link never overtake each other.", true),

        Key.Choice("chain.protocol", "The consensus protocol (or kernel workload) the nodes run.", [.. registry.Protocols.Select(m => m.Name)]),
        Key.Int("chain.nodes", "Number of consensus nodes (replicas), named n0, n1, ...", 4, min: 1, max: 100_000),
        new("chain.placement", PlacementType, "Where nodes go: round-robin over the network's regions, one region by name, or a list of regions cycled through.") { Default = "round-robin" },
        Key.Int("chain.block.max-tx", "Most transactions in one block.", 500, min: 1),
        Key.Size("chain.block.max-size", "Largest block size.", "1MB", min: 1),
        Key.Time("chain.block.timeout", "A leader proposes a partial block after this long.", "100ms"),
        new("byzantine", Byzantine, "Nodes that deviate from the protocol, each with nodes, behaviour (protocol-specific) and collude."),

        Key.Choice("scenario.kind", "A finance scenario to run on top of the chain (absent: the protocol alone).", [.. registry.Scenarios.Select(m => m.Name)]),

        Key.Arrivals("workload.arrivals", "How client requests arrive in total: poisson(rate: 500/s), constant(rate: 500/s) or a rate."),
        Key.Int("workload.clients.count", "Number of client nodes submitting requests.", 1, min: 0, max: 100_000),
        Key.List("workload.clients.regions", KeyType.Identifier, "Regions the clients are spread over (round-robin).", "[all]"),
        Key.Size("workload.tx-size", "Size of one transaction.", "512B", min: 1),

        new("faults", Faults, "Faults at exact virtual times; each entry: at, optional for, and one action."),
        new("faults[].at", KeyType.Time, "When the fault happens.") { ItemKey = true, Required = true, Min = 0 },
        new("faults[].for", KeyType.Time, "How long it lasts; then it is undone (crash → restart, partition → heal, ...).") { ItemKey = true, Min = 1e-9 },
        .. FaultParser.Actions.Select(a => new SchemaKey("faults[]." + a.Action, KeyType.Text, a.Description) { ItemKey = true }),
        new("faults[].factor", KeyType.Factor, "Latency multiplier of `slow` (also the limit of `latency`).") { ItemKey = true, Min = 1, Max = FaultParser.MaxFactor },
        new("faults[].lose-disk", KeyType.Boolean, "`restart` also wipes the durable state.") { ItemKey = true, Default = "false" },

        Key.Choice("expect.safety", "What the experiment expects of safety: `hold` (a violation fails the run, exit 3) or `violated` (it is the result).", ["hold", "violated"], "hold"),
        Key.Time("expect.liveness", "Chain protocols: every transaction submitted before the last fault ends is final within this long after it ends (checked at that moment; a late one fails the run, exit 3; absent: not checked).", min: 1e-9),
        Key.List("outputs.charts", KeyType.Identifier, "Charts to draw (empty: the report picks them)."),
        new("outputs.series-bin", KeyType.Time, "Width of the time bins of time series (throughput over time). Left out, it scales with the run: the finest of 1s, 10s, 1min, 10min, 1h that gives at most 100,000 bins (1s up to 100,000 s ≈ 28 h, 10s up to 11.6 d, 1min up to 69 d, 10min up to 1.9 years, 1h beyond; under 1 s: a tenth of the run). Written, it may give at most 1,000,000 bins (`--limit series-bins=N` raises it): every bin of every series is held in memory, and 1 s bins over 120 days are 10 million per series.") { Default = "1s", Min = 1e-9 },

        new(Variants, VariantsType, "Named alternatives run on the same seeds, e.g. `pbft: { chain.protocol: pbft }`; each overrides keys of the base."),
        new(Sweep, SweepType, "Axes over any key, e.g. `chain.nodes: [4, 7, 10]` (cartesian product); `zip: { a: [..], b: [..] }` pairs axes."),

        new(Verify, VerifyType, "Checks against published or closed-form results, run by `lab verify` (scenarios/validation/); each check names a metric, a statistic, the expected value, a tolerance and its source."),
        new("verify.suite", KeyType.Choice, "`quick`: run by `lab verify` and in CI; `full`: only by `lab verify --full` (large runs).") { ItemKey = true, Default = "quick", Allowed = ["quick", "full"] },
        new("verify.checks[].check", KeyType.Text, "What is claimed, in a sentence (printed in the table).") { ItemKey = true, Required = true },
        new("verify.checks[].at", KeyType.Text, "The point read: `{ variant: name, <sweep key>: value }`; may be left out when the experiment has one point.") { ItemKey = true },
        new("verify.checks[].minus", KeyType.Text, "A second point subtracted run by run (same replication and seed), e.g. to count what one variant adds.") { ItemKey = true },
        new("verify.checks[].over", KeyType.Text, "A second point divided by run by run (same replication and seed), for claims such as \"cuts the delay by 90%\" (expect 0.1).") { ItemKey = true },
        new("verify.checks[].metric", KeyType.Text, "A metric of the run's summary (`commit_latency_s`), or a formula of them evaluated per run (`messages_total / committed_tx`).") { ItemKey = true, Required = true },
        new("verify.checks[].statistic", KeyType.Text, "`mean` (over replications, as in summary.json), `min`, `max`, `p50`/`p99`/... (pooled samples), `every` (each sample within tolerance) or `values` (sorted samples against a list).") { ItemKey = true, Required = true },
        new("verify.checks[].expect", KeyType.Text, "The expected value: a number or a formula (`5 * 10ms`, `1 - exp(-0.018)`; times in seconds); a list for `values`.") { ItemKey = true, Required = true },
        new("verify.checks[].tolerance", KeyType.Text, "`0.002` or `1us` (absolute), `5%` (of the expected value), `ci95`/`ci99` (the expected value lies in that Student-t interval of the mean over replications), or `at-most`/`at-least` (the expected value is a bound).") { ItemKey = true, Required = true },
        new("verify.checks[].source", KeyType.Text, "The paper, table or derivation the expected value comes from, and why the tolerance is what it is.") { ItemKey = true, Required = true },
    ];

    /// <summary>Largest one-way latency of a link, in seconds (an hour).</summary>
    public const double MaxLatency = 3600;

    private static readonly KeyType Matrix = new StructuredType("matrix", "[[0ms, 90ms], [90ms, 0ms]]", ParseMatrix, range: "one-way entries 0s to 1h", jsonSchema: w =>
    {
        w.WriteString("type", "array");
        w.WriteStartObject("items");
        w.WriteString("type", "array");
        w.WriteStartObject("items");
        w.WriteStartArray("type"); w.WriteStringValue("string"); w.WriteStringValue("number"); w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static object? ParseMatrix(YNode node, SchemaKey key, ValueContext ctx)
    {
        if (node is not YSequence rows || rows.Items.Count == 0)
        { ctx.Error(node.Mark, "expected a square matrix: one list of latencies per region"); return null; }
        var result = new Duration[rows.Items.Count][];
        var ok = true;
        for (int i = 0; i < rows.Items.Count; i++)
        {
            if (rows.Items[i] is not YSequence row) { ctx.Error(rows.Items[i].Mark, "expected a row: a list of latencies"); ok = false; continue; }
            if (row.Items.Count != rows.Items.Count)
            { ctx.Error(row.Mark, $"row {i + 1} has {row.Items.Count} entries; the matrix has {rows.Items.Count} rows, so each row needs {rows.Items.Count}"); ok = false; continue; }
            result[i] = new Duration[row.Items.Count];
            for (int j = 0; j < row.Items.Count; j++)
            {
                if (row.Items[j] is not YScalar s || Units.Duration(s.Value, out var d) is { } err)
                { ctx.Error(row.Items[j].Mark, row.Items[j] is YScalar sc ? Units.Duration(sc.Value, out _)! : "expected a latency"); ok = false; continue; }
                if (d.IsNegative) { ctx.Error(s.Mark, $"latency must not be negative, got '{s.Value}'"); ok = false; continue; }
                // A round-trip matrix is halved into one-way latencies.
                var most = key.Path.EndsWith("rtt", StringComparison.Ordinal) ? 2 * MaxLatency : MaxLatency;
                if (d.TotalSeconds > most) { ctx.Error(s.Mark, $"latency must be at most {Duration.FromSeconds(most)}, got '{s.Value}'"); ok = false; continue; }
                result[i][j] = d;
            }
        }
        return ok ? result : null;
    }

    private static readonly KeyType PerRegion = new StructuredType("bandwidth per region", "100Mbps or { region: 20Mbps, ... }", ParsePerRegion, range: "1kbps to 1000000Gbps", jsonSchema: w =>
    {
        w.WriteStartArray("type"); w.WriteStringValue("string"); w.WriteStringValue("object"); w.WriteEndArray();
        w.WriteStartObject("additionalProperties"); w.WriteString("type", "string"); w.WriteEndObject();
    });

    private static object? ParsePerRegion(YNode node, SchemaKey key, ValueContext ctx)
    {
        if (node is YScalar { IsNull: false } s)
        {
            if (Bandwidth(s.Value, out var all) is { } err) { ctx.Error(s.Mark, err); return null; }
            return new RegionBandwidth(all, []);
        }
        if (node is not YMapping map) { ctx.Error(node.Mark, "expected a bandwidth or a mapping region: bandwidth"); return null; }
        var list = new List<(string, Bandwidth, SourceMark)>();
        var ok = true;
        foreach (var (k, v) in map.Entries)
        {
            if (v is not YScalar vs || Bandwidth(vs.Value, out var bw) is { } err)
            { ctx.Error(v.Mark, v is YScalar x ? Bandwidth(x.Value, out _)! : "expected a bandwidth"); ok = false; continue; }
            list.Add((k.Value, bw, k.Mark));
        }
        return ok ? new RegionBandwidth(null, list) : null;
    }

    /// <summary>A bandwidth within the type's range (as for network.bandwidth).</summary>
    private static string? Bandwidth(string text, out Bandwidth value)
    {
        if (Units.Bandwidth(text, out value) is { } err) return err;
        var (min, max) = KeyType.BandwidthType.DefaultRange;
        if (value.BitsPerSecond < min || value.BitsPerSecond > max)
            return $"must be from {new Bandwidth(min!.Value)} to {new Bandwidth(max!.Value)}, got '{text}'";
        return null;
    }

    private static readonly KeyType PlacementType = new StructuredType("placement", "round-robin, a region, or [region, ...]", ParsePlacement, w =>
    {
        w.WriteStartArray("type"); w.WriteStringValue("string"); w.WriteStringValue("array"); w.WriteEndArray();
    });

    private static object? ParsePlacement(YNode node, SchemaKey key, ValueContext ctx)
    {
        if (node is YScalar { Value: "round-robin" }) return new Placement([]);
        if (node is YScalar { IsNull: false } s) return new Placement([(s.Value, s.Mark)]);
        if (node is YSequence seq && seq.Items.Count > 0 && seq.Items.All(i => i is YScalar { IsNull: false }))
            return new Placement([.. seq.Items.Cast<YScalar>().Select(i => (i.Value, i.Mark))]);
        ctx.Error(node.Mark, "expected round-robin, a region name or a list of region names");
        return null;
    }

    private static readonly KeyType Faults = new StructuredType("fault list", "- { at: 10s, crash: n1, for: 5s }", FaultParser.ParseFaults, w =>
    {
        w.WriteString("type", "array");
        w.WriteStartObject("items");
        w.WriteString("type", "object");
        w.WriteStartArray("required"); w.WriteStringValue("at"); w.WriteEndArray();
        w.WriteStartObject("properties");
        foreach (var k in FaultParser.ItemKeys)
        {
            w.WriteStartObject(k);
            var action = FaultParser.Actions.FirstOrDefault(a => a.Action == k);
            w.WriteString("description", k switch
            {
                "at" => "When the fault happens (e.g. 10s).",
                "for" => "How long it lasts before it is undone.",
                "factor" => "Latency multiplier of slow (e.g. 3x).",
                "lose-disk" => "restart also wipes the durable state.",
                _ => action.Description,
            });
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteBoolean("additionalProperties", false);
        w.WriteEndObject();
    });

    private static readonly KeyType Byzantine = new StructuredType("Byzantine list", "- { nodes: [n0], behaviour: equivocate, collude: false }", FaultParser.ParseByzantine, w =>
    {
        w.WriteString("type", "array");
        w.WriteStartObject("items");
        w.WriteString("type", "object");
        w.WriteStartArray("required"); w.WriteStringValue("nodes"); w.WriteStringValue("behaviour"); w.WriteEndArray();
        w.WriteStartObject("properties");
        w.WriteStartObject("nodes"); w.WriteString("description", "Node names."); w.WriteEndObject();
        w.WriteStartObject("behaviour"); w.WriteString("type", "string"); w.WriteString("description", "Protocol-specific misbehaviour, e.g. equivocate."); w.WriteEndObject();
        w.WriteStartObject("collude"); w.WriteString("type", "boolean"); w.WriteEndObject();
        w.WriteEndObject();
        w.WriteBoolean("additionalProperties", false);
        w.WriteEndObject();
    });

    // Variants and sweep are read by the experiment loader, not bound as run values.
    private static readonly KeyType VariantsType = new StructuredType("variants", "name: { key: value, ... }", (n, _, _) => n, w =>
    {
        w.WriteString("type", "object");
        w.WriteStartObject("additionalProperties"); w.WriteStartArray("type"); w.WriteStringValue("object"); w.WriteStringValue("null"); w.WriteEndArray(); w.WriteEndObject();
    });

    private static readonly KeyType VerifyType = new StructuredType("verify section", "{ suite: quick, checks: [{ check, at, metric, statistic, expect, tolerance, source }] }", (n, _, _) => n, w =>
    {
        w.WriteString("type", "object");
        w.WriteStartObject("properties");
        w.WriteStartObject("suite"); w.WriteStartArray("enum"); w.WriteStringValue("quick"); w.WriteStringValue("full"); w.WriteEndArray(); w.WriteEndObject();
        w.WriteStartObject("checks");
        w.WriteString("type", "array");
        w.WriteStartObject("items");
        w.WriteString("type", "object");
        w.WriteStartArray("required");
        foreach (var k in new[] { "check", "metric", "statistic", "expect", "tolerance", "source" }) w.WriteStringValue(k);
        w.WriteEndArray();
        w.WriteStartObject("properties");
        foreach (var k in new[] { "check", "metric", "statistic", "tolerance", "source" })
        {
            w.WriteStartObject(k); w.WriteStartArray("type"); w.WriteStringValue("string"); w.WriteStringValue("number"); w.WriteEndArray(); w.WriteEndObject();
        }
        foreach (var k in new[] { "at", "minus", "over" })
        {
            w.WriteStartObject(k); w.WriteString("type", "object"); w.WriteEndObject();
        }
        w.WriteStartObject("expect"); w.WriteStartArray("type"); w.WriteStringValue("string"); w.WriteStringValue("number"); w.WriteStringValue("array"); w.WriteEndArray(); w.WriteEndObject();
        w.WriteEndObject();
        w.WriteBoolean("additionalProperties", false);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("required"); w.WriteStringValue("checks"); w.WriteEndArray();
        w.WriteBoolean("additionalProperties", false);
    });

    private static readonly KeyType SweepType = new StructuredType("sweep", "key: [v1, v2, ...] or zip: { key: [...], ... }", (n, _, _) => n, w =>
    {
        w.WriteString("type", "object");
        w.WriteStartObject("additionalProperties"); w.WriteStartArray("type"); w.WriteStringValue("array"); w.WriteStringValue("object"); w.WriteEndArray(); w.WriteEndObject();
    });
}
