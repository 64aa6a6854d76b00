using Lab.Consensus.Common;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Byzantine;

/// <summary>Who is in a BFT world besides the protocol: clients, regions, Byzantine replicas.</summary>
public sealed record BftWorldOptions
{
    /// <summary>Regions of the network; by default replica i and client j sit in region i (j) mod this.</summary>
    public int Regions { get; init; } = 1;
    /// <summary>Region of replica i, when placement is given (null: i mod <see cref="Regions"/>).</summary>
    public Func<int, int>? ReplicaRegion { get; init; }
    /// <summary>Region of client j, when placement is given (null: j mod <see cref="Regions"/>).</summary>
    public Func<int, int>? ClientRegion { get; init; }
    public int Clients { get; init; } = 4;
    /// <summary>Each client's load; the offered load is Clients × RatePerSecond.</summary>
    public BftClientOptions Client { get; init; } = new();
    /// <summary>Byzantine replicas (at most f unless the experiment expects to exceed tolerance).</summary>
    public IReadOnlyList<ByzantineSpec> Byzantine { get; init; } = [];
    /// <summary>Excluded from throughput (the series still shows it).</summary>
    public Duration Warmup { get; init; } = Duration.Zero;
}

/// <summary>
/// A ready BFT world for the experiment layer: node specs (replicas named n0.., twins n{r}-twin,
/// clients c0..), observers to add to the simulation (the safety checker first), and a function
/// that derives the scalar metrics from the run's result.
/// </summary>
public sealed record BftWorld(
    IReadOnlyList<NodeSpec> Nodes,
    BftCommittee Committee,
    SafetyChecker Safety,
    IReadOnlyList<ISimulationObserver> Observers,
    Func<RunResult, IReadOnlyDictionary<string, double>> DeriveMetrics)
{
    public const string ReplicaKind = "replica";
    public const string ClientKind = "client";

    /// <summary>Lays out replicas, twins and clients and wires the metrics. Used by PbftWorld and HotStuffWorld.</summary>
    public static BftWorld Build(int n, BftWorldOptions world, Func<int, BftCommittee, ByzantineRole, INodeBehaviour> replica)
    {
        var twins = world.Byzantine.Where(b => b.Behaviour == ByzantineBehaviour.Twin).Select(b => b.Replica).Distinct().Order().ToList();
        var instances = Enumerable.Range(0, n).Select(r => new List<NodeId> { new(r) }).ToList();
        for (int t = 0; t < twins.Count; t++) instances[twins[t]].Add(new NodeId(n + t));
        var committee = new BftCommittee(instances.Select(i => (IReadOnlyList<NodeId>)i).ToList());
        var nodes = new List<NodeSpec>();
        for (int r = 0; r < n; r++)
        {
            var id = r;
            nodes.Add(new NodeSpec($"n{r}", world.ReplicaRegion?.Invoke(r) ?? r % world.Regions, ReplicaKind, () => replica(id, committee, new ByzantineRole(id, committee, world.Byzantine))));
        }
        foreach (var t in twins)
            nodes.Add(new NodeSpec($"n{t}-twin", world.ReplicaRegion?.Invoke(t) ?? t % world.Regions, ReplicaKind, () => replica(t, committee, new ByzantineRole(t, committee, world.Byzantine))));
        var firstClient = nodes.Count;
        for (int c = 0; c < world.Clients; c++)
            nodes.Add(new NodeSpec($"c{c}", world.ClientRegion?.Invoke(c) ?? c % world.Regions, ClientKind, () => new BftClient(world.Client, committee)));

        var safety = new SafetyChecker();
        var decisions = new DecisionObserver();
        return new BftWorld(nodes, committee, safety, [safety, decisions], r => Derive(r, world, safety, decisions, firstClient));
    }

    private static IReadOnlyDictionary<string, double> Derive(RunResult r, BftWorldOptions world, SafetyChecker safety, DecisionObserver decisions, int replicaNodes)
    {
        var m = r.Metrics;
        var span = Math.Max(1e-9, r.Stats.FinalTime.Seconds - world.Warmup.TotalSeconds);
        var committed = 0.0;
        if (m.Series.TryGetValue("committed_tx", out var bins))
        {
            var firstBin = (int)(world.Warmup.Nanos / Math.Max(1, m.SeriesBin.Nanos));
            for (int i = firstBin; i < bins.Length; i++) committed += bins[i];
        }
        var latency = m.Samples.TryGetValue("commit_latency_s", out var l) ? l.Order().ToArray() : [];
        double Pct(double q) => latency.Length == 0 ? double.NaN : latency[Math.Min(latency.Length - 1, (int)Math.Ceiling(q * latency.Length) - 1)];
        var cpu = r.Stats.CpuUtilisation.Take(replicaNodes).ToArray();
        var d = Math.Max(1, decisions.Height);
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["throughput_tps"] = committed / span,
            ["commit_latency_s_mean"] = latency.Length == 0 ? double.NaN : latency.Average(),
            ["commit_latency_s_p50"] = Pct(0.50),
            ["commit_latency_s_p99"] = Pct(0.99),
            ["committed_height"] = decisions.Height,
            // Each replica counts the views it installed; the average is the run's view changes.
            ["view_changes"] = m.Counter("view_changes") / Math.Max(1, replicaNodes),
            ["messages_per_decision"] = m.Counter("protocol_messages") / d,
            ["bytes_per_decision"] = m.Counter("protocol_bytes") / d,
            ["rejected_messages"] = m.Counter("rejected_messages"),
            ["safety_violations"] = safety.Violations.Count,
            ["cpu_utilisation_mean"] = cpu.Length == 0 ? 0 : cpu.Average(),
            ["cpu_utilisation_max"] = cpu.Length == 0 ? 0 : cpu.Max(),
        };
        if (safety.Violations.Count > 0)
        {
            result["first_violation_height"] = safety.Violations[0].Height;
            result["first_violation_time_s"] = safety.Violations[0].At.Seconds;
        }
        return result;
    }
}

/// <summary>The highest height any honest replica committed (the number of decisions).</summary>
public sealed class DecisionObserver : ISimulationObserver
{
    public long Height { get; private set; }

    public void OnBarrier(ISimulationView view) { }

    public void OnEnd(ISimulationView view)
    {
        for (int i = 0; i < view.Directory.Count; i++)
            if (view.BehaviourOf(new NodeId(i)) is IReplica { IsByzantine: false, Commits: { } log })
                Height = Math.Max(Height, log.Count);
    }
}
