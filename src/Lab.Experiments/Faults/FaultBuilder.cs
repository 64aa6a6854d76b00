using System.Globalization;
using Lab.Experiments.Models;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Sim.Faults;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Experiments.Faults;

/// <summary>Turns the <c>faults</c> list into the kernel's schedule, resolving names against the built world.</summary>
public static class FaultBuilder
{
    public static List<ScheduledFault>? Build(IReadOnlyList<FaultSpec> specs, World world, NetworkSpec network, Duration duration, Diagnostics problems)
    {
        var names = world.Nodes.Select(n => n.Name).ToList();
        var ok = true;
        var result = new List<ScheduledFault>();
        foreach (var f in specs)
        {
            if (f.At >= duration)
            {
                problems.Error(f.Mark, "faults", $"at {f.At} is not before the end of the run (duration {duration})");
                ok = false;
                continue;
            }
            NodeSelector? Sel(TargetSpec t)
            {
                var s = Selector(t, names, network, world, problems);
                if (s is null) ok = false;
                return s;
            }
            FaultAction? action = f.Action switch
            {
                "crash" => Sel(f.Targets[0]) is { } s1 ? new Crash(s1) : null,
                "restart" => Sel(f.Targets[0]) is { } s2 ? new Restart(s2, f.LoseDisk) : null,
                "pause" => Sel(f.Targets[0]) is { } s3 ? new Pause(s3) : null,
                "resume" => Sel(f.Targets[0]) is { } s4 ? new Resume(s4) : null,
                "cut" => Sel(f.Targets[0]) is { } s5 ? new Cut(s5) : null,
                "uncut" => Sel(f.Targets[0]) is { } s6 ? new Uncut(s6) : null,
                "slow" => Sel(f.Targets[0]) is { } s7 ? new SlowNodes(s7, f.Value) : null,
                "partition" => f.Targets.Select(Sel).ToList() is var groups && groups.All(g => g is not null) ? new Partition(groups!) : null,
                "heal" => new Heal(),
                "loss" => new LossBurst(f.Value),
                "latency" => new LatencySpike(f.Value),
                _ => null,
            };
            if (action is not null) result.Add(new ScheduledFault(new SimTime(f.At.Nanos), action, f.For));
        }
        return ok ? result : null;
    }

    /// <summary>When the last fault of the schedule is over: the latest <c>at + for</c> (<c>at</c> for a fault
    /// without <c>for</c>, such as a restart or a heal); zero without faults.</summary>
    public static Duration LastFaultEnd(IReadOnlyList<FaultSpec> specs) =>
        specs.Count == 0 ? Duration.Zero : Duration.FromNanos(specs.Max(f => f.At.Nanos + (f.For?.Nanos ?? 0)));

    private static NodeSelector? Selector(TargetSpec t, List<string> names, NetworkSpec network, World world, Diagnostics problems)
    {
        var parts = new List<NodeSelector>();
        var named = new List<string>();
        foreach (var w in t.Words)
        {
            if (names.Contains(w)) { named.Add(w); continue; }
            if (w == "all") { parts.Add(new DynamicNodes("all", v => [.. v.Directory.All])); continue; }
            if (w == "crashed") { parts.Add(new CrashedNodes()); continue; }
            if (world.Targets.TryGetValue(w, out var target)) { parts.Add(target); continue; }
            if (network.RegionIndex(w) >= 0) { parts.Add(new RegionNodes(w)); continue; }
            if (w.EndsWith('%') && double.TryParse(w[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var pct) && pct is > 0 and <= 100)
            { parts.Add(new FractionOfNodes(pct / 100)); continue; }
            var candidates = world.Targets.Keys.Concat(network.Regions).Concat(["all", "crashed"]);
            var hint = Suggest.Closest(w, candidates);
            var known = $"nodes {names.FirstOrDefault()}..{names.LastOrDefault()}, regions {string.Join(", ", network.Regions)}" +
                        (world.Targets.Count > 0 ? ", " + string.Join(", ", world.Targets.Keys) : "") + ", all, crashed or a share such as 30%";
            problems.Error(t.Mark, "faults", $"'{w}' is no node, region or target" + (hint is null ? "" : $"; did you mean '{hint}'?") + $" (use {known})");
            return null;
        }
        if (named.Count > 0) parts.Insert(0, new NamedNodes(named));
        return parts.Count == 1 ? parts[0] : new AnyOf(parts);
    }

    /// <summary>The union of several selectors, in node order.</summary>
    private sealed record AnyOf(IReadOnlyList<NodeSelector> Parts) : NodeSelector
    {
        public override IReadOnlyList<NodeId> Resolve(ISimulationView view, SimRandom faultRandom) =>
            [.. Parts.SelectMany(p => p.Resolve(view, faultRandom)).Distinct().Order()];
        public override string ToString() => string.Join(" + ", Parts);
    }
}
