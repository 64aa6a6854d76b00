using Lab.Experiments.Schema;
using Lab.Experiments.Values;
using Lab.Experiments.Yaml;
using Lab.Sim.Time;

namespace Lab.Experiments.Faults;

/// <summary>Reads the <c>faults</c> and <c>byzantine</c> lists.</summary>
public static class FaultParser
{
    /// <summary>Fault actions and whether they accept <c>for</c>.</summary>
    public static readonly IReadOnlyList<(string Action, bool Undoable, string Description)> Actions =
    [
        ("crash", true, "stop the nodes (with `for`: restart them afterwards)"),
        ("restart", false, "restart crashed nodes from their durable state"),
        ("pause", true, "freeze the nodes; messages queue until resumed"),
        ("resume", false, "resume paused nodes"),
        ("partition", true, "split the network into the listed groups (the rest form one more group)"),
        ("heal", false, "end a partition (`heal: true`)"),
        ("cut", true, "the listed nodes cannot hear each other"),
        ("uncut", false, "restore links cut among the listed nodes"),
        ("loss", true, "extra loss probability on every link"),
        ("latency", true, "multiply every link's latency (e.g. 5x)"),
        ("slow", true, "multiply latency of links to and from the nodes by `factor`"),
    ];

    public static readonly IReadOnlyList<string> ItemKeys = ["at", "for", .. Actions.Select(a => a.Action), "factor", "lose-disk"];

    /// <summary>
    /// Largest latency multiplier of <c>latency</c> and <c>slow</c>. A spike and a slow node multiply, and
    /// with link latencies of at most an hour and a jitter factor of at most 100 the product stays inside
    /// the kernel's 64-bit nanoseconds (1 h × 100 × 100 × 100 ≈ 3.6·10¹⁸ ns).
    /// </summary>
    public const double MaxFactor = 100;

    public static object? ParseFaults(YNode node, SchemaKey key, ValueContext ctx)
    {
        if (node is YScalar { IsNull: true }) return new List<FaultSpec>();
        if (node is not YSequence seq) { ctx.Error(node.Mark, "expected a list of faults (each '- at: 10s' and an action)"); return null; }
        var list = new List<FaultSpec>();
        var ok = true;
        foreach (var item in seq.Items)
        {
            var f = ParseFault(item, ctx);
            if (f is null) ok = false; else list.Add(f);
        }
        return ok ? list : null;
    }

    private static FaultSpec? ParseFault(YNode item, ValueContext ctx)
    {
        if (item is not YMapping map) { ctx.Error(item.Mark, "a fault is a mapping such as '{ at: 10s, crash: n1 }'"); return null; }
        var ok = true;
        Duration? at = null, @for = null;
        string? action = null;
        YNode? actionNode = null;
        double? factor = null;
        var loseDisk = false;
        foreach (var (k, v) in map.Entries)
        {
            switch (k.Value)
            {
                case "at": at = Time(v, ctx, ref ok); break;
                case "for":
                    @for = Time(v, ctx, ref ok);
                    if (@for is { Nanos: 0 }) { ctx.Error(v.Mark, "'for' must be longer than zero"); ok = false; }
                    break;
                case "factor":
                    if (v is YScalar fs && Units.Factor(fs.Value, out var fv) is null && fv is >= 1 and <= MaxFactor) factor = fv;
                    else { ctx.Error(v.Mark, $"factor: expected a multiplier from 1x to {MaxFactor}x, e.g. 3x"); ok = false; }
                    break;
                case "lose-disk":
                    if (v is YScalar { Value: "true" or "false" } b) loseDisk = b.Value == "true";
                    else { ctx.Error(v.Mark, "lose-disk: expected true or false"); ok = false; }
                    break;
                default:
                    if (!Actions.Any(a => a.Action == k.Value))
                    {
                        var hint = Suggest.Closest(k.Value, ItemKeys);
                        ctx.Error(k.Mark, $"unknown fault key '{k.Value}'" + (hint is null ? $" (use one of: {string.Join(", ", ItemKeys)})" : $"; did you mean '{hint}'?"));
                        ok = false;
                    }
                    else if (action is not null) { ctx.Error(k.Mark, $"one action per fault: '{action}' and '{k.Value}' given; write two faults"); ok = false; }
                    else { action = k.Value; actionNode = v; }
                    break;
            }
        }
        if (at is null && ok) { ctx.Error(map.Mark, "a fault needs 'at' (when it happens)"); ok = false; }
        if (action is null && ok) { ctx.Error(map.Mark, $"a fault needs an action: one of {string.Join(", ", Actions.Select(a => a.Action))}"); ok = false; }
        if (!ok || action is null || actionNode is null) return null;
        if (@for is not null && !Actions.First(a => a.Action == action).Undoable)
        {
            ctx.Error(actionNode.Mark, $"'{action}' cannot have 'for'");
            return null;
        }
        var targets = new List<TargetSpec>();
        double value = 0;
        switch (action)
        {
            case "partition":
                if (actionNode is not YSequence groups || groups.Items.Count == 0)
                { ctx.Error(actionNode.Mark, "partition: expected a list of groups, e.g. [[n0, n1], [n2, n3]] or [hong-kong]"); return null; }
                foreach (var g in groups.Items)
                {
                    var t = Target(g, ctx);
                    if (t is null) return null;
                    targets.Add(t);
                }
                break;
            case "heal":
                if (actionNode is not YScalar { Value: "true" })
                { ctx.Error(actionNode.Mark, "heal: write 'heal: true'"); return null; }
                break;
            case "loss":
                if (actionNode is not YScalar ls || Units.Probability(ls.Value, out value) is { } lossError)
                { ctx.Error(actionNode.Mark, "loss: expected a probability such as 20% or 0.2"); return null; }
                break;
            case "latency":
                if (actionNode is not YScalar lat || Units.Factor(lat.Value, out value) is not null || value is < 1 or > MaxFactor)
                { ctx.Error(actionNode.Mark, $"latency: expected a multiplier from 1x to {MaxFactor}x, e.g. 5x"); return null; }
                break;
            default:
                var target = Target(actionNode, ctx);
                if (target is null) return null;
                targets.Add(target);
                if (action == "slow")
                {
                    if (factor is null) { ctx.Error(map.Mark, "slow: give the latency multiplier as 'factor: 3x'"); return null; }
                    value = factor.Value;
                }
                break;
        }
        if (action != "slow" && factor is not null) { ctx.Error(map.Mark, "'factor' belongs to 'slow'"); return null; }
        if (action != "restart" && loseDisk) { ctx.Error(map.Mark, "'lose-disk' belongs to 'restart'"); return null; }
        return new FaultSpec(map.Mark, at!.Value, @for, action, targets, value, loseDisk);
    }

    private static Duration? Time(YNode v, ValueContext ctx, ref bool ok)
    {
        if (v is YScalar s && Units.Duration(s.Value, out var d) is not { } err)
        {
            if (!d.IsNegative && d.TotalSeconds <= KeyType.MaxSeconds) return d;
            ctx.Error(v.Mark, d.IsNegative ? $"must not be negative, got '{s.Value}'" : $"must be at most {Duration.FromSeconds(KeyType.MaxSeconds)}, got '{s.Value}'");
        }
        else ctx.Error(v.Mark, v is YScalar sc ? Units.Duration(sc.Value, out _)! : "expected a duration such as 10s");
        ok = false;
        return null;
    }

    private static TargetSpec? Target(YNode node, ValueContext ctx)
    {
        switch (node)
        {
            case YScalar { IsNull: false } s: return new TargetSpec(s.Mark, [s.Value]);
            case YSequence seq when seq.Items.Count > 0 && seq.Items.All(i => i is YScalar { IsNull: false }):
                return new TargetSpec(seq.Mark, [.. seq.Items.Cast<YScalar>().Select(i => i.Value)]);
            default:
                ctx.Error(node.Mark, "expected nodes: a name, a list of names, a region, a share such as 30%, or a target such as leader");
                return null;
        }
    }

    public static object? ParseByzantine(YNode node, SchemaKey key, ValueContext ctx)
    {
        if (node is YScalar { IsNull: true }) return new List<ByzantineSpec>();
        if (node is not YSequence seq) { ctx.Error(node.Mark, "expected a list such as '- { nodes: [n0], behaviour: equivocate }'"); return null; }
        var list = new List<ByzantineSpec>();
        var ok = true;
        foreach (var item in seq.Items)
        {
            if (item is not YMapping map) { ctx.Error(item.Mark, "expected a mapping with nodes and behaviour"); ok = false; continue; }
            List<string>? nodes = null;
            string? behaviour = null;
            var collude = false;
            foreach (var (k, v) in map.Entries)
            {
                switch (k.Value)
                {
                    case "nodes":
                        var t = Target(v, ctx);
                        if (t is null) ok = false; else nodes = [.. t.Words];
                        break;
                    case "behaviour":
                        if (v is YScalar { IsNull: false } b) behaviour = b.Value;
                        else { ctx.Error(v.Mark, "behaviour: expected a name such as equivocate"); ok = false; }
                        break;
                    case "collude":
                        if (v is YScalar { Value: "true" or "false" } c) collude = c.Value == "true";
                        else { ctx.Error(v.Mark, "collude: expected true or false"); ok = false; }
                        break;
                    default:
                        var hint = Suggest.Closest(k.Value, ["nodes", "behaviour", "collude"]);
                        ctx.Error(k.Mark, $"unknown key '{k.Value}'" + (hint is null ? " (use nodes, behaviour, collude)" : $"; did you mean '{hint}'?"));
                        ok = false;
                        break;
                }
            }
            if (nodes is null || behaviour is null)
            {
                if (ok) ctx.Error(map.Mark, "a Byzantine entry needs 'nodes' and 'behaviour'");
                ok = false;
                continue;
            }
            list.Add(new ByzantineSpec(map.Mark, nodes, behaviour, collude));
        }
        return ok ? list : null;
    }
}
