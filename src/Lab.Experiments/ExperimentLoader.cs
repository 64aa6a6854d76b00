using System.Text;
using Lab.Experiments.Faults;
using Lab.Experiments.Models;
using Lab.Experiments.Network;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Experiments.Verification;
using Lab.Experiments.Yaml;
using Lab.Sim.Time;

namespace Lab.Experiments;

/// <summary>
/// Reads and validates an experiment file: YAML syntax, keys and types, presets, variants, sweep,
/// cross-field rules and a dry build of every point (so node names in faults are checked). All
/// problems are collected; the experiment is null if there is any. Everything read is bounded by
/// <paramref name="limits"/> (file sizes, YAML depth and size, runs).
/// </summary>
public sealed class ExperimentLoader(ModelRegistry registry, InputLimits? limits = null)
{
    private readonly InputLimits _limits = limits ?? InputLimits.Default;

    /// <summary>
    /// Whether the check ends with a dry build of every point (its world built once, with seed 0, so that node names
    /// in faults and Byzantine lists are checked). On by default. A worker turns it off: it runs only experiments that
    /// resolve to the configuration hash of one its coordinator has checked in full, and each run builds its own world
    /// anyway (the teaching demo's dry builds cost a child process ~0.4 s before its first run).
    /// </summary>
    public bool DryBuild { get; init; } = true;

    /// <summary>
    /// Told the number of runs as soon as it is known, before the points are checked: <c>lab run</c> starts its child
    /// processes then, so that they load the experiment while this process checks it (called only for an experiment
    /// whose runs are within the limit).
    /// </summary>
    public Action<long>? Counted { get; init; }

    private static readonly HashSet<string> Meta = [CommonKeys.Variants, CommonKeys.Sweep, CommonKeys.Verify];

    public ExperimentSchema Schema { get; } = ExperimentSchema.For(registry);

    // scenario.* key → the models that declare it, built once (the check runs for every sweep point).
    private readonly Lazy<Dictionary<string, List<string>>> _scenarioKeyOwners = new(() => registry.Models
        .SelectMany(m => m.Keys.Where(k => k.Path.StartsWith("scenario.", StringComparison.Ordinal)).Select(k => (k.Path, m.Name)))
        .GroupBy(x => x.Path, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(x => x.Name).Distinct().ToList(), StringComparer.Ordinal));

    /// <param name="displayPath">The file as the user named it (used in messages).</param>
    /// <param name="overrides"><c>key=value</c> pairs from <c>--set</c>; values are YAML (<c>[a, b]</c> works).</param>
    public Experiment? Load(string displayPath, IReadOnlyList<string> overrides, Diagnostics diagnostics)
    {
        var full = Path.GetFullPath(displayPath);
        var files = new InputFiles(_limits, relativeNames: !Path.IsPathRooted(displayPath));
        byte[] bytes;
        try { bytes = files.ReadText(full); }
        catch (InputFileException e)
        {
            diagnostics.Error(new SourceMark(displayPath, 1, 1), "", e.Message == "not found" ? "file not found" : e.Message == "is a folder, not a file" ? "is a folder, not an experiment file" : e.Message);
            return null;
        }
        return Parse(displayPath, full, bytes, overrides, diagnostics, files);
    }

    /// <summary>
    /// Reads and validates an experiment given as text rather than a file (one that <c>lab fuzz</c> generated):
    /// exactly what <see cref="Load(string, IReadOnlyList{string}, Diagnostics)"/> does with a file of that text at <paramref name="displayPath"/> (which names
    /// it in messages; presets and traces are found relative to its folder).
    /// </summary>
    public Experiment? LoadText(string displayPath, string text, IReadOnlyList<string> overrides, Diagnostics diagnostics)
    {
        var files = new InputFiles(_limits, relativeNames: !Path.IsPathRooted(displayPath));
        return Parse(displayPath, Path.GetFullPath(displayPath), Encoding.UTF8.GetBytes(text), overrides, diagnostics, files);
    }

    private Experiment? Parse(string displayPath, string full, byte[] bytes, IReadOnlyList<string> overrides, Diagnostics diagnostics, InputFiles files)
    {
        var root = YamlReader.Read(displayPath, bytes, diagnostics, _limits);
        if (root is null) return null;
        if (root is not YMapping map)
        {
            diagnostics.Error(root.Mark, "", $"an experiment is a mapping of keys (name: ..., duration: ...), not {ScalarType<int>.Describe(root)}");
            return null;
        }
        var text = Encoding.UTF8.GetString(bytes);
        return Load(displayPath, Path.GetDirectoryName(full)!, text, map, overrides, diagnostics, files);
    }

    private Experiment? Load(string file, string baseDir, string text, YMapping map, IReadOnlyList<string> overrides, Diagnostics diagnostics, InputFiles files)
    {
        var binder = new ConfigBinder(Schema, diagnostics, baseDir, files);
        var fileLayer = binder.Bind(map, "file", skipAtRoot: Meta);
        var setLayer = BindOverrides(binder, overrides, diagnostics);
        var variants = ReadVariants(map[CommonKeys.Variants], binder, diagnostics);
        var sweep = ReadSweep(map[CommonKeys.Sweep], diagnostics, baseDir);
        var verify = map[CommonKeys.Verify] is { } verifyNode and not YScalar { IsNull: true } ? VerifyParser.Parse(verifyNode, diagnostics) : null;
        var rootMark = new SourceMark(file, 1, 1);
        if (map["name"] is null && !setLayer.ContainsKey("name"))
            diagnostics.Error(map.Entries.Count > 0 ? map.Entries[0].Key.Mark : rootMark, "name", "missing: every experiment needs a name");
        if (diagnostics.HasErrors) return null;

        var defaults = Defaults(rootMark, diagnostics);
        var presets = NetworkPresets.For(baseDir, files);
        var @base = Merge(fileLayer, setLayer);
        // Counted before anything is expanded: a sweep of 10^9 points is refused at once, not enumerated.
        var replications = (long)(@base.GetValueOrDefault("replications") ?? defaults["replications"]).Value;
        var runs = (double)variants.Count * sweep!.Count * replications;
        if (runs > _limits.Runs)
        {
            var where = map[CommonKeys.Sweep] is { } sweepNode ? (sweepNode.Mark, CommonKeys.Sweep) : (@base.TryGetValue("replications", out var r) ? r.Node.Mark : rootMark, "replications");
            diagnostics.Error(where.Item1, where.Item2, $"{variants.Count} variant(s) × {sweep.Count:0} sweep point(s) × {replications} replication(s) = {runs:0} runs, more than the limit of {_limits.Runs} ({InputLimits.Raise("runs")})");
            return null;
        }
        Counted?.Invoke((long)runs);
        var points = new List<PlannedPoint>();
        foreach (var (variantName, variantLayer) in variants)
        {
            var variantValues = Merge(@base, variantLayer);
            var shared = Resolve(defaults, variantValues, presets, baseDir, diagnostics);
            foreach (var point in sweep.Points)
            {
                // A point shares its variant's configuration unless it changes the preset (which changes many keys).
                var config = shared is not null && !point.Layer.ContainsKey("network.preset")
                    ? new RunConfig(shared, [.. point.Layer, .. SeriesBin(k => point.Layer.GetValueOrDefault(k) ?? shared.Entry(k)!, defaults)])
                    : Resolve(defaults, Merge(variantValues, point.Layer), presets, baseDir, diagnostics);
                if (config is null) continue;
                var planned = Check(points.Count, variantName, point.Parameters, config, defaults, rootMark, diagnostics);
                if (planned is not null) points.Add(planned);
            }
        }
        if (diagnostics.HasErrors) return null;

        var baseConfig = Resolve(defaults, @base, presets, baseDir, diagnostics)!;
        OutputCharts.Check(baseConfig, points, sweep!.Axes, diagnostics);
        if (diagnostics.HasErrors) return null;
        if (verify is not null)
        {
            verify = VerifyParser.Resolve(verify, points, sweep!.Axes, baseConfig.Int("replications"), (k, a, b) => SameValue(k, a, b, baseDir), diagnostics);
            if (verify is null) return null;
        }
        var resolved = ResolvedYaml(baseConfig, map);
        return new Experiment
        {
            Inputs = files.Digests,
            File = file,
            Overrides = [.. overrides],
            SourceText = text,
            Name = baseConfig.Text("name"),
            Description = baseConfig.Text("description"),
            Seed = (ulong)baseConfig.Get<long>("seed"),
            Replications = baseConfig.Int("replications"),
            ResolvedYaml = resolved,
            Points = points,
            SweepAxes = sweep!.Axes,
            Charts = [.. baseConfig.GetOr<List<object>>("outputs.charts", []).Cast<string>()],
            ExpectedSafety = baseConfig.Text("expect.safety"),
            Duration = baseConfig.Time("duration"),
            Warmup = baseConfig.Time("warmup"),
            Verify = verify,
        };
    }

    /// <summary>Whether two written values of a key mean the same: <c>20ms</c> and <c>0.02s</c>, <c>0.5</c> and <c>50%</c>.</summary>
    private bool SameValue(string key, string a, string b, string baseDir)
    {
        if (a.Trim() == b.Trim()) return true;
        if (Schema.Leaf(key) is not { } k) return false;
        var scratch = new Diagnostics();
        var mark = new SourceMark("", 0, 0);
        var x = k.Type.Parse(new YScalar(mark, a), k, new ValueContext(baseDir, scratch, key));
        var y = k.Type.Parse(new YScalar(mark, b), k, new ValueContext(baseDir, scratch, key));
        return x is not null && y is not null && x.Equals(y);
    }

    private Dictionary<string, ConfigValue> BindOverrides(ConfigBinder binder, IReadOnlyList<string> overrides, Diagnostics diagnostics)
    {
        var layer = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        var marks = new Dictionary<string, SourceMark>(StringComparer.Ordinal);
        foreach (var o in overrides)
        {
            var eq = o.IndexOf('=');
            var where = new SourceMark("--set " + o, 1, 1);
            if (eq <= 0) { diagnostics.Error(where, "", "expected key=value, e.g. --set chain.nodes=16"); continue; }
            var key = o[..eq].Trim();
            if (Meta.Contains(key)) { diagnostics.Error(where, key, "variants and sweep cannot be set from the command line"); continue; }
            var valueNode = YamlReader.Read("--set " + o, o[(eq + 1)..].Length == 0 ? "~" : o[(eq + 1)..], diagnostics);
            if (valueNode is null) continue;
            binder.BindValue(key, new YScalar(where, key), Relabel(valueNode, where), "--set", layer, marks);
        }
        return layer;
    }

    /// <summary>A value from the command line has no useful line numbers: mark it with the option itself.</summary>
    private static YNode Relabel(YNode n, SourceMark m) => n switch
    {
        YScalar s => s with { Mark = m },
        YSequence q => new YSequence(m, [.. q.Items.Select(i => Relabel(i, m))]),
        YMapping p => new YMapping(m, [.. p.Entries.Select(e => new KeyValuePair<YScalar, YNode>((YScalar)Relabel(e.Key, m), Relabel(e.Value, m)))]),
        _ => n,
    };

    private List<(string Name, Dictionary<string, ConfigValue> Layer)> ReadVariants(YNode? node, ConfigBinder binder, Diagnostics diagnostics)
    {
        var result = new List<(string, Dictionary<string, ConfigValue>)>();
        if (node is null || node is YScalar { IsNull: true }) return [("default", [])];
        if (node is not YMapping map)
        {
            diagnostics.Error(node.Mark, "variants", "expected named variants, e.g. 'pbft: { chain.protocol: pbft }'");
            return [];
        }
        foreach (var (k, v) in map.Entries)
        {
            if (KeyType.Identifier.Parse(k, new SchemaKey("variants", KeyType.Identifier, ""), new ValueContext("", diagnostics, "variants")) is null) continue;
            switch (v)
            {
                case YScalar { IsNull: true }: result.Add((k.Value, [])); break;
                case YMapping vm: result.Add((k.Value, binder.Bind(vm, "variant " + k.Value, skipAtRoot: null))); break;
                default: diagnostics.Error(v.Mark, "variants." + k.Value, "expected keys to override, e.g. { chain.protocol: pbft }"); break;
            }
            foreach (var (vk, _) in (v as YMapping)?.Entries ?? [])
                if (Meta.Contains(vk.Value) || vk.Value is "name" or "replications" or "seed")
                    diagnostics.Error(vk.Mark, vk.Value, "cannot differ between variants");
        }
        if (map.Entries.Count == 0) return [("default", [])];
        return result;
    }

    private sealed record SweepPoint(IReadOnlyList<KeyValuePair<string, string>> Parameters, Dictionary<string, ConfigValue> Layer);
    /// <param name="Count">Number of points, known before <paramref name="Points"/> is enumerated (a double: it may be astronomically large).</param>
    private sealed record SweepPlan(IReadOnlyList<string> Axes, double Count, IEnumerable<SweepPoint> Points);

    private SweepPlan? ReadSweep(YNode? node, Diagnostics diagnostics, string baseDir)
    {
        var single = new SweepPlan([], 1, [new SweepPoint([], [])]);
        if (node is null || node is YScalar { IsNull: true }) return single;
        if (node is not YMapping map)
        {
            diagnostics.Error(node.Mark, "sweep", "expected axes, e.g. 'chain.nodes: [4, 7, 10]'");
            return null;
        }
        // Each group is a list of alternatives; a plain axis is a group of one key, zip is a group of several.
        var groups = new List<List<List<(string Key, YNode Value, object Parsed)>>>();
        var axes = new List<string>();
        var ok = true;
        List<(string, YNode, object)>? ReadAxis(YScalar keyNode, YNode values)
        {
            var key = keyNode.Value;
            var schemaKey = Schema.Leaf(key);
            if (key is "name" or "replications" && schemaKey is not null)
            {
                diagnostics.Error(keyNode.Mark, "sweep", key switch
                {
                    "replications" => "cannot sweep over 'replications': every point runs the same replications (write replications: N at the top level)",
                    _ => "cannot sweep over 'name': an experiment has one name",
                });
                return null;
            }
            if (schemaKey is null || Meta.Contains(key))
            {
                var hint = Schema.SuggestFor(key);
                diagnostics.Error(keyNode.Mark, "sweep", $"cannot sweep over '{key}': unknown key" + (hint is null ? "" : $"; did you mean '{hint}'?"));
                return null;
            }
            if (axes.Contains(key)) { diagnostics.Error(keyNode.Mark, "sweep", $"'{key}' is swept twice"); return null; }
            axes.Add(key);
            if (values is not YSequence seq || seq.Items.Count == 0)
            {
                diagnostics.Error(values.Mark, "sweep." + key, "expected a list of values, e.g. [4, 7, 10]");
                return null;
            }
            var list = new List<(string, YNode, object)>();
            foreach (var item in seq.Items)
            {
                var parsed = schemaKey.Type.Parse(item, schemaKey, new ValueContext(baseDir, diagnostics, "sweep." + key));
                if (parsed is null) return null;
                list.Add((key, item, parsed));
            }
            return list;
        }
        foreach (var (k, v) in map.Entries)
        {
            if (k.Value == "zip")
            {
                if (v is not YMapping zip || zip.Entries.Count == 0)
                { diagnostics.Error(v.Mark, "sweep.zip", "expected axes that move together, e.g. { chain.nodes: [4, 7], chain.block.max-tx: [100, 200] }"); ok = false; continue; }
                var columns = new List<List<(string, YNode, object)>>();
                foreach (var (zk, zv) in zip.Entries)
                {
                    var axis = ReadAxis(zk, zv);
                    if (axis is null) ok = false; else columns.Add(axis);
                }
                if (!ok) continue;
                if (columns.Select(c => c.Count).Distinct().Count() > 1)
                {
                    diagnostics.Error(zip.Mark, "sweep.zip", "zipped axes need lists of the same length (" + string.Join(", ", zip.Entries.Zip(columns).Select(e => $"{e.First.Key.Value}: {e.Second.Count}")) + ")");
                    ok = false;
                    continue;
                }
                groups.Add([.. Enumerable.Range(0, columns[0].Count).Select(i => columns.Select(c => c[i]).ToList())]);
            }
            else
            {
                var axis = ReadAxis(k, v);
                if (axis is null) ok = false; else groups.Add([.. axis.Select(a => new List<(string, YNode, object)> { a })]);
            }
        }
        if (!ok) return null;
        IEnumerable<List<(string Key, YNode Value, object Parsed)>> combos = [[]];
        foreach (var g in groups) combos = combos.SelectMany(c => g.Select(alt => c.Concat(alt).ToList()));
        var points = combos.Select(c => new SweepPoint(
            [.. c.Select(x => new KeyValuePair<string, string>(x.Key, x.Value is YScalar s ? s.Value : "…"))],
            c.ToDictionary(x => x.Key, x => new ConfigValue(x.Parsed, x.Value, "sweep"), StringComparer.Ordinal)));
        return new SweepPlan(axes, groups.Aggregate(1.0, (n, g) => n * g.Count), points);
    }

    /// <param name="top">Where a default value is blamed when a rule refuses it: the top of the file, since the key is not written there.</param>
    private Dictionary<string, ConfigValue> Defaults(SourceMark top, Diagnostics diagnostics)
    {
        var layer = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var key in Schema.Keys)
        {
            if (key.Default is null || key.ItemKey || Meta.Contains(key.Path)) continue;
            var mark = top;
            var node = key.Default.Length == 0 ? new YScalar(mark, "", Quoted: true) : YamlReader.Read("(default)", key.Default, diagnostics)!;
            var parsed = key.Type.Parse(Relabel(node, mark), key, new ValueContext("", diagnostics, key.Path));
            if (parsed is not null) layer[key.Path] = new ConfigValue(parsed, Relabel(node, mark), "default");
        }
        return layer;
    }

    private static Dictionary<string, ConfigValue> Merge(params Dictionary<string, ConfigValue>[] layers)
    {
        var result = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var l in layers) foreach (var (k, v) in l) result[k] = v;
        return result;
    }

    private RunConfig? Resolve(Dictionary<string, ConfigValue> defaults, Dictionary<string, ConfigValue> explicitValues, NetworkPresets presets, string baseDir, Diagnostics diagnostics)
    {
        var preset = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        if (explicitValues.TryGetValue("network.preset", out var p))
        {
            var loaded = presets.Load((string)p.Value, p.Node.Mark, baseDir, Schema, diagnostics);
            if (loaded is null) return null;
            preset = loaded;
        }
        ConfigValue Value(string key) => explicitValues.GetValueOrDefault(key) ?? preset.GetValueOrDefault(key) ?? defaults[key];
        // The layers in order (later ones win), without merging them into a dictionary first.
        return new RunConfig(defaults.Concat(preset).Concat(explicitValues).Concat(SeriesBin(Value, defaults)));
    }

    /// <summary>Most bins a default series bin gives a run: bins of 1s up to 100,000 s (about a day), coarser beyond.</summary>
    public const long DefaultSeriesBins = 100_000;

    /// <summary>The widths a default bin is chosen from, finest first: each a round unit to read a chart in (1h bins cut the longest run, 3650d, into 87,600).</summary>
    private static readonly Duration[] NiceBins =
        [Duration.FromSeconds(1), Duration.FromSeconds(10), Duration.FromMinutes(1), Duration.FromMinutes(10), Duration.FromHours(1)];

    /// <summary>
    /// The default bin scales with the run: the finest of <see cref="NiceBins"/> that keeps it at or under
    /// <see cref="DefaultSeriesBins"/> bins (1s for every run up to 100,000 s, so their bins are unchanged;
    /// 10min for four months, 1h beyond 1.9 years, which keeps even the longest run, 10 years, under 100,000: a long run must not
    /// silently get millions of bins per series). A run shorter than a second gets bins of a tenth of it, since a default
    /// must never make a run invalid. Empty when the bin was written or the default fits.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, ConfigValue>> SeriesBin(Func<string, ConfigValue> value, Dictionary<string, ConfigValue> defaults)
    {
        if (value("outputs.series-bin") is not { Origin: "default" } || value("duration").Value is not Duration d) yield break;
        var bin = defaults["outputs.series-bin"];
        var fitted = NiceBins[0] > d ? Duration.FromNanos(Math.Max(1, d.Nanos / 10)) : FinestNiceBin(d, DefaultSeriesBins);
        if (!fitted.Equals(value("outputs.series-bin").Value)) yield return new("outputs.series-bin", bin with { Value = fitted });
    }

    /// <summary>The finest nice bin that cuts <paramref name="run"/> into at most <paramref name="bins"/> bins (the widest if none does).</summary>
    private static Duration FinestNiceBin(Duration run, long bins) =>
        NiceBins.FirstOrDefault(b => Bins(run, b) <= bins, NiceBins[^1]);

    /// <summary>How many bins of width <paramref name="bin"/> a run of <paramref name="run"/> has (the last one may be partial).</summary>
    private static long Bins(Duration run, Duration bin) => (run.Nanos + bin.Nanos - 1) / bin.Nanos;

    /// <summary>Cross-field rules, then a dry build of the world and its fault schedule.</summary>
    private PlannedPoint? Check(int index, string variant, IReadOnlyList<KeyValuePair<string, string>> parameters, RunConfig c,
        Dictionary<string, ConfigValue> defaults, SourceMark rootMark, Diagnostics d)
    {
        var before = d.Errors.Count;
        IModel? protocol = null, model = null;
        if (c.Has("chain.protocol")) protocol = registry.Find(ModelKind.Protocol, c.Text("chain.protocol"));
        if (c.Has("scenario.kind")) model = registry.Find(ModelKind.Scenario, c.Text("scenario.kind"));
        model ??= protocol;
        if (model is null)
        {
            d.Error(rootMark, "chain.protocol", "missing: say which protocol the nodes run (" + string.Join(", ", registry.Protocols.Select(m => m.Name)) + ")");
            return null;
        }
        var duration = c.Time("duration");
        if (c.Time("warmup") >= duration)
            d.Error(c.MarkOf("warmup"), "warmup", $"warm-up {c.Time("warmup")} leaves nothing to measure in a {duration} run");
        if (c.Time("outputs.series-bin") > duration)
            d.Error(c.MarkOf("outputs.series-bin"), "outputs.series-bin", $"bin {c.Time("outputs.series-bin")} is longer than the run ({duration})");
        else if (Bins(duration, c.Time("outputs.series-bin")) is var bins && bins > _limits.SeriesBins)
            d.Error(c.MarkOf("outputs.series-bin"), "outputs.series-bin",
                $"bin {c.Time("outputs.series-bin")} cuts the {duration} run into {bins} bins per series, more than the limit of {_limits.SeriesBins} " +
                $"(each series holds every bin in memory): write series-bin: {FinestNiceBin(duration, _limits.SeriesBins)} or coarser, or leave it out for {FinestNiceBin(duration, DefaultSeriesBins)} ({InputLimits.Raise("series-bins")})");

        // A block of max-tx transactions travels as one message, whose size is a 32-bit count of bytes.
        var fullBlock = (double)c.Int("chain.block.max-tx") * c.Size("workload.tx-size").Bytes + Lab.Ledger.Blocks.Block.HeaderBytes;
        if (c.Has("chain.protocol") && fullBlock > int.MaxValue)
        {
            var (key, mark) = Blame(c, rootMark, "workload.tx-size", "chain.block.max-tx");
            d.Error(mark, key, $"a full block would be {c.Int("chain.block.max-tx")} × {c.Size("workload.tx-size")} = {fullBlock:0}B, more than one message can carry (2GB): lower workload.tx-size or chain.block.max-tx");
        }

        var network = NetworkBuilder.Build(c, d);
        if (network is not null)
        {
            if (c.GetOr<Placement?>("chain.placement", null) is { } placement)
                foreach (var (region, mark) in placement.Regions)
                    if (network.RegionIndex(region) < 0)
                    {
                        var hint = Suggest.Closest(region, network.Regions);
                        d.Error(mark, "chain.placement", $"unknown region '{region}'" + (hint is null ? $" (regions: {string.Join(", ", network.Regions)})" : $"; did you mean '{hint}'?"));
                    }
            CheckRegions(c, network, RegionKeys(model, protocol), d);
        }

        if (model.RunsOnChain(c) && protocol is not IChainModel)
        {
            var chains = string.Join(", ", registry.Protocols.OfType<IChainModel>().Select(m => m.Name));
            if (protocol is null) d.Error(rootMark, "chain.protocol", $"missing: {model.Name} runs on a chain, say which protocol ({chains})");
            else d.Error(c.MarkOf("chain.protocol"), "chain.protocol", $"{model.Name} runs on a chain protocol ({chains}), not '{protocol.Name}'");
        }
        // A key the model cannot honour is an error where it is written, unless it only repeats the default (resolved.yaml does).
        foreach (var m in new[] { model, protocol }.OfType<IModel>().Distinct())
            foreach (var key in m.UnsupportedKeys)
                if (c.Entry(key) is { Origin: not "default" } set && !SameSetting(set.Value, defaults.GetValueOrDefault(key)?.Value))
                    d.Error(c.MarkOf(key), key, $"{m.Name} does not use this key; remove it (or run a model that does)");
        // The scenario models share one schema, so another kind's key (scenario.privacy.trades under insurance-claims) parses: refuse it here.
        foreach (var (key, value) in c.Values)
        {
            if (value.Origin is "default" || !_scenarioKeyOwners.Value.TryGetValue(key, out var owners) || owners.Contains(model.Name)
                || SameSetting(value.Value, defaults.GetValueOrDefault(key)?.Value)) continue;   // resolved.yaml repeats every default
            d.Error(c.MarkOf(key), key, $"scenario.kind {model.Name} does not use this key (it belongs to {string.Join(", ", owners)}); remove it");
        }

        var byzantine = c.GetOr<List<ByzantineSpec>>("byzantine", []);
        var faulty = byzantine.SelectMany(b => b.Nodes).Distinct().Count();
        var tolerance = protocol?.Tolerance ?? Lab.Consensus.Common.FaultTolerance.None;
        var expectViolation = c.Text("expect.safety") == "violated";
        foreach (var b in byzantine)
        {
            var allowed = protocol?.ByzantineBehaviours ?? [];
            if (!allowed.Contains(b.Behaviour))
                d.Error(b.Mark, "byzantine", allowed.Count == 0
                    ? $"protocol '{protocol?.Name}' has no Byzantine behaviours"
                    : $"unknown behaviour '{b.Behaviour}' for {protocol!.Name} (use {string.Join(", ", allowed)})");
        }
        if (faulty > 0 && !expectViolation)
        {
            var n = c.Int("chain.nodes");
            var need = tolerance.ReplicasNeeded(faulty);
            if (n < need)
                d.Error(c.MarkOf("byzantine"), "byzantine", need == int.MaxValue
                    ? $"{protocol?.Name} tolerates no Byzantine nodes; add 'expect: {{ safety: violated }}' if breaking it is the point"
                    : $"{faulty} Byzantine nodes need at least {tolerance.Rule} = {need} nodes, chain.nodes is {n}; add 'expect: {{ safety: violated }}' if exceeding the tolerance is the point");
        }
        if (c.GetOr<Duration?>("expect.liveness", null) is { } within)
        {
            // Liveness is asked of load clients, which only plain chain protocol runs have.
            if (model is not ChainModel)
                d.Error(c.MarkOf("expect.liveness"), "expect.liveness", $"liveness is checked on the load clients of a chain protocol run ({string.Join(", ", registry.Protocols.OfType<ChainModel>().Select(m => m.Name))}), not on {model.Name}");
            var healed = FaultBuilder.LastFaultEnd(c.GetOr<List<FaultSpec>>("faults", []));
            if (healed + within > duration)
                d.Error(c.MarkOf("expect.liveness"), "expect.liveness", $"the run ends at {duration}, before the deadline it sets: the last fault ends at {healed}, plus {within}; make duration at least {healed + within}");
        }
        if (!Guarded(() => model.Check(c, d), model, "check", c, rootMark, d)) return null;
        if (protocol is not null && protocol != model && !Guarded(() => protocol.Check(c, d), protocol, "check", c, rootMark, d)) return null;
        if (d.Count > before || network is null) return null;
        if (!DryBuild) return new PlannedPoint(index, variant, parameters, c, model, protocol);

        World? world = null;
        if (!Guarded(() => world = model.Build(new RunContext { Config = c, Seed = 0, Network = network, Registry = registry, Protocol = protocol }), model, "build", c, rootMark, d))
            return null;
        var names = world!.Nodes.Select(x => x.Name).ToHashSet(StringComparer.Ordinal);
        var replicas = world.Nodes.Where(x => x.Kind == Lab.Consensus.Common.ChainWorld.ReplicaKind).Select(x => x.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var b in byzantine)
            foreach (var node in b.Nodes)
            {
                if (!names.Contains(node)) d.Error(b.Mark, "byzantine", $"no node named '{node}'");
                else if (!replicas.Contains(node)) d.Error(b.Mark, "byzantine", $"'{node}' is not a replica: only replicas (n0, n1, ...) can be Byzantine");
            }
        FaultBuilder.Build(c.GetOr<List<FaultSpec>>("faults", []), world, network, duration, d);
        if (d.Errors.Count > before) return null;
        return new PlannedPoint(index, variant, parameters, c, model, protocol);
    }

    /// <summary>
    /// Runs a model's own check or its dry build. What it refuses by throwing (its options' own
    /// validation) is reported at the key the complaint names, if the user wrote that key; otherwise at
    /// the top of the file under the model's section. Never a stack trace or an internal error.
    /// </summary>
    private bool Guarded(Action step, IModel model, string verb, RunConfig c, SourceMark rootMark, Diagnostics d)
    {
        try
        {
            step();
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException or KeyNotFoundException or InvalidCastException or FormatException)
        {
            var (key, mark) = Named(e.Message, model, c) ?? (model.Kind == ModelKind.Protocol ? "chain" : "scenario", rootMark);
            d.Error(mark, key, $"{model.Name} cannot {verb} this configuration: {e.Message}");
            return false;
        }
    }

    /// <summary>Where a rule between keys is reported: the first of <paramref name="keys"/> the user wrote (that is what to change), else the top of the file.</summary>
    private static (string Key, SourceMark Mark) Blame(RunConfig c, SourceMark top, params string[] keys)
    {
        foreach (var k in keys)
            if (c.Entry(k) is { Origin: not "default" } written) return (k, written.Node.Mark);
        return (keys[0], top);
    }

    /// <summary>The key a model's complaint is about: one of its keys the user wrote, whose name (words joined by '-') appears in the message.</summary>
    private static (string Key, SourceMark Mark)? Named(string message, IModel model, RunConfig c)
    {
        var text = message.ToLowerInvariant();
        foreach (var key in model.Keys.OrderByDescending(k => k.Name.Length))
        {
            if (c.Entry(key.Path) is not { Origin: not "default" } written) continue;
            if (System.Text.RegularExpressions.Regex.IsMatch(text, @"\b" + System.Text.RegularExpressions.Regex.Escape(key.Name.Replace('-', ' ')) + @"\b") ||
                System.Text.RegularExpressions.Regex.IsMatch(text, @"\b" + System.Text.RegularExpressions.Regex.Escape(key.Name) + @"\b"))
                return (key.Path, written.Node.Mark);
        }
        return null;
    }

    /// <summary>
    /// Keys named <c>*.region</c> or <c>*.regions</c> that hold names (a model's institutions, the
    /// clients) must name regions of the network: checked here for every model, at the value's own place.
    /// </summary>
    /// <param name="keys">The region keys of the models this point runs and the common ones (keys of other models are not used, so not checked).</param>
    private static void CheckRegions(RunConfig c, Sim.Network.NetworkSpec network, IReadOnlyList<string> keys, Diagnostics d)
    {
        foreach (var path in keys)
        {
            if (c.Entry(path) is not { } value) continue;
            var names = value.Value switch
            {
                string one => [(one, value.Node)],
                List<object> many when value.Node is YSequence seq && seq.Items.Count == many.Count => many.Cast<string>().Zip(seq.Items, (n, node) => (n, node)).ToList(),
                List<object> many => many.Cast<string>().Select(n => (n, value.Node)).ToList(),
                _ => [],
            };
            foreach (var (name, node) in names)
            {
                if (name == "all" && value.Value is List<object> || network.RegionIndex(name) >= 0) continue;
                var hint = Suggest.Closest(name, network.Regions);
                d.Error(node.Mark, path, $"unknown region '{name}'" + (hint is null ? $" (regions: {string.Join(", ", network.Regions)})" : $"; did you mean '{hint}'?"));
            }
        }
    }

    private readonly Dictionary<(IModel, IModel?), IReadOnlyList<string>> _regionKeys = [];

    /// <summary>Paths of the region keys (<c>*.region</c>, <c>*.regions</c>) that matter for a model pair: its own and the common ones.</summary>
    private IReadOnlyList<string> RegionKeys(IModel model, IModel? protocol)
    {
        if (_regionKeys.TryGetValue((model, protocol), out var known)) return known;
        var modelKeys = registry.Models.SelectMany(m => m.Keys).Select(k => k.Path).ToHashSet(StringComparer.Ordinal);
        var own = model.Keys.Concat(protocol?.Keys ?? []).Select(k => k.Path).ToHashSet(StringComparer.Ordinal);
        return _regionKeys[(model, protocol)] = [.. Schema.Keys.Select(k => k.Path)
            .Where(p => p.EndsWith(".region", StringComparison.Ordinal) || p.EndsWith(".regions", StringComparison.Ordinal))
            .Where(p => own.Contains(p) || !modelKeys.Contains(p))];
    }

    private static bool SameSetting(object a, object? b) =>
        Equals(a, b) || (a is IEnumerable<object> x && b is IEnumerable<object> y && x.SequenceEqual(y));

    /// <summary>The base configuration in schema order, then variants and sweep as written.</summary>
    private string ResolvedYaml(RunConfig c, YMapping source)
    {
        var sb = new StringBuilder("# Every key with its value for this run: defaults filled in, presets and --set applied.\n");
        var tree = new List<KeyValuePair<YScalar, YNode>>();
        foreach (var key in Schema.Keys)
        {
            if (key.ItemKey || Meta.Contains(key.Path) || c.Entry(key.Path) is not { } v) continue;
            Insert(tree, key.Path.Split('.'), v.Node);
        }
        foreach (var (k, v) in tree) YamlWriter.WriteEntry(sb, k.Value, v, 0);
        foreach (var meta in new[] { CommonKeys.Variants, CommonKeys.Sweep, CommonKeys.Verify })
            if (source[meta] is { } node) YamlWriter.WriteEntry(sb, meta, node, 0);
        return sb.ToString();
    }

    private static void Insert(List<KeyValuePair<YScalar, YNode>> entries, string[] path, YNode value)
    {
        var mark = new SourceMark("", 0, 0);
        if (path.Length == 1) { entries.Add(new(new YScalar(mark, path[0]), value)); return; }
        var i = entries.FindIndex(e => e.Key.Value == path[0]);
        List<KeyValuePair<YScalar, YNode>> children;
        if (i < 0)
        {
            children = [];
            entries.Add(new(new YScalar(mark, path[0]), new YMapping(mark, children)));
        }
        else children = (List<KeyValuePair<YScalar, YNode>>)((YMapping)entries[i].Value).Entries;
        Insert(children, path[1..], value);
    }
}
