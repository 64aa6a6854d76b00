using Lab.Consensus.Byzantine;
using Lab.Experiments.Faults;
using Lab.Experiments.Values;
using Lab.Sim.Faults;
using Lab.Sim.Metrics;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using ConsensusByzantine = Lab.Consensus.Byzantine.ByzantineSpec;

namespace Lab.Experiments.Models;

/// <summary>What PBFT and HotStuff share in the YAML: clients, authentication costs, Byzantine nodes, metrics.</summary>
public static class BftConfig
{
    public static readonly IReadOnlyList<string> Behaviours = ["silent", "equivocate", "double-vote", "withhold", "forge", "twin"];
    /// <summary>PBFT's: the shared ones, a new-view that lies about O (or, colluding, hides prepared requests), a view-change with a forged prepared certificate.</summary>
    public static readonly IReadOnlyList<string> PbftBehaviours = [.. Behaviours, "lie-in-new-view", "forge-proof"];
    /// <summary>HotStuff's: the shared ones, a leader forking on a forged QC, a leader forking on an old QC.</summary>
    public static readonly IReadOnlyList<string> HotStuffBehaviours = [.. Behaviours, "forge-qc", "stale-qc"];

    /// <summary>The committee's keys: real ECDSA keys from the run seed with <c>chain.signatures: real</c>, else modelled.</summary>
    public static CommitteeKeys Keys(RunContext context) =>
        context.Config.Text("chain.signatures") == "real" ? CommitteeKeys.Real(context.Seed, context.Config.Int("chain.nodes")) : CommitteeKeys.Modelled;

    public static IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        new("throughput_tps", "transactions clients saw final (f+1 matching replies) per second, after warm-up"),
        new("commit_latency_s", "submit → f+1 matching replies"),
        new("view_changes", "views installed (average over replicas)"),
        new("messages_per_decision", "protocol messages per committed block"),
        new("bytes_per_decision", "protocol bytes per committed block"),
        new("rejected_messages", "messages honest replicas rejected (bad signatures, wrong sender)"),
        new("safety_violations", "conflicting commits among honest replicas"),
        new("cpu_utilisation_max", "CPU utilisation of the busiest replica"),
    ];

    public static BftWorldOptions World(RunContext context)
    {
        var c = context.Config;
        var clients = Math.Max(1, c.Int("workload.clients.count"));
        var rate = ChainConfig.OfferedRate(c, 1000);
        return new BftWorldOptions
        {
            Regions = context.Network.Regions.Count,
            ReplicaRegion = context.RegionOf,
            ClientRegion = context.ClientRegionOf,
            Clients = clients,
            Client = new BftClientOptions
            {
                RatePerSecond = rate / clients,
                TxSizeBytes = checked((int)c.Size("workload.tx-size").Bytes),
                RetransmitTimeout = c.Time("workload.retry-timeout"),
                StopAt = c.GetOr<Duration?>("workload.submit-until", null) is { } until ? SimTime.Zero + until : null,
            },
            Byzantine = Byzantine(c),
            Warmup = context.Warmup,
        };
    }

    public static AuthenticationCosts Costs(RunConfig c) => new()
    {
        Sign = c.Time("chain.cpu.sign"),
        Verify = c.Time("chain.cpu.verify"),
        HashPerKilobyte = c.Time("chain.cpu.hash-per-kb"),
    };

    private static IReadOnlyList<ConsensusByzantine> Byzantine(RunConfig c)
    {
        var list = new List<ConsensusByzantine>();
        foreach (var b in c.GetOr<List<Faults.ByzantineSpec>>("byzantine", []))
        {
            var behaviour = b.Behaviour switch
            {
                "silent" => ByzantineBehaviour.Silent,
                "equivocate" => ByzantineBehaviour.Equivocate,
                "double-vote" => ByzantineBehaviour.DoubleVote,
                "withhold" => ByzantineBehaviour.Withhold,
                "forge" => ByzantineBehaviour.Forge,
                "twin" => ByzantineBehaviour.Twin,
                "lie-in-new-view" => ByzantineBehaviour.LieInNewView,
                "forge-proof" => ByzantineBehaviour.ForgeProof,
                "forge-qc" => ByzantineBehaviour.ForgeQc,
                "stale-qc" => ByzantineBehaviour.StaleQc,
                _ => throw new InvalidOperationException($"validation let an unknown behaviour '{b.Behaviour}' through"),
            };
            foreach (var n in b.Nodes)
                list.Add(new ConsensusByzantine(int.Parse(n.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture), behaviour, b.Collude));
        }
        return list;
    }

    /// <summary>Hands a BFT world to the runner: nodes, checkers, the "leader" target and the derived metrics.</summary>
    public static World ToWorld(BftWorld bft, NodeSelector leader)
    {
        var world = new World();
        var commits = new CommitsPerReplica();
        world.Nodes.AddRange(bft.Nodes);
        world.Observers.AddRange(bft.Observers);
        world.Observers.Add(commits);
        world.Targets["leader"] = leader;
        world.Targets["primary"] = leader;
        world.Finish = result =>
        {
            var m = result.Metrics;
            foreach (var (k, v) in bft.DeriveMetrics(result)) m.Scalars[k] = v;
            m.Counters["safety_violations"] = bft.Safety.Violations.Count;
            foreach (var v in bft.Safety.Violations) m.Findings.Add(new Finding(v.At, "safety", v.Description));
            foreach (var (name, height) in commits.Heights) m.Scalars["commits." + name] = height;
        };
        return world;
    }

    /// <summary>The replica leading the highest view among running replicas (resolved when a fault fires).</summary>
    public static NodeSelector Leader(Func<INodeBehaviour, long?> viewOf, Func<long, int, int> leaderOfView) =>
        new DynamicNodes("leader", view =>
        {
            long best = -1;
            var replicas = 0;
            foreach (var n in view.Directory.OfKind(BftWorld.ReplicaKind))
            {
                if (view.Directory.Name(n).EndsWith("-twin", StringComparison.Ordinal)) continue;
                replicas++;
                if (view.StateOf(n) == NodeState.Up && viewOf(view.BehaviourOf(n)) is { } v) best = Math.Max(best, v);
            }
            return best < 0 || replicas == 0 ? [] : [new NodeId(leaderOfView(best, replicas))];
        });
}

/// <summary>Blocks each replica committed by the end (scalars <c>commits.&lt;node&gt;</c>, the commits-per-node chart): a fork shows as replicas that disagree.</summary>
internal sealed class CommitsPerReplica : ISimulationObserver
{
    public List<(string Name, double Height)> Heights { get; } = [];

    public void OnBarrier(ISimulationView view) { }

    public void OnEnd(ISimulationView view)
    {
        foreach (var n in view.Directory.OfKind(BftWorld.ReplicaKind))
            if (view.BehaviourOf(n) is Lab.Consensus.Common.IReplica { Commits: { } log })
                Heights.Add((view.Directory.Name(n), log.Count));
    }
}
