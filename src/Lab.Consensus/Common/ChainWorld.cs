using Lab.Consensus.Workload;
using Lab.Ledger.Crypto;
using Lab.Ledger.Identity;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Consensus.Common;

/// <summary>
/// A chain ready to run: its nodes (replicas <c>n0..</c>, then clients <c>c0..</c>, then any extra
/// nodes), the observers that check safety and measure availability, and <see cref="Complete"/>,
/// which turns a finished <see cref="RunResult"/> into the standard chain metrics. Built by
/// <c>RaftWorld.Build</c> and <c>SoloWorld.Build</c>; other protocols can use <see cref="Assemble"/>.
/// </summary>
public sealed class ChainWorld
{
    private ChainWorld(IReadOnlyList<NodeSpec> nodes, IReadOnlyList<NodeId> replicas, IReadOnlyList<NodeId> clients, Duration warmup, double offeredTps, int toleratedFaults)
    {
        ToleratedFaults = toleratedFaults;
        Nodes = nodes;
        Replicas = replicas;
        Clients = clients;
        Warmup = warmup;
        OfferedTps = offeredTps;
        Availability = new AvailabilityObserver { From = SimTime.Zero + warmup };
    }

    /// <summary>Replicas that may fail (crash, be cut off) at once with safety still guaranteed: ⌊(n−1)/2⌋ for
    /// Raft, 0 for solo. Within it a safety violation is a bug and the run must fail (exit 3); beyond it, a result.</summary>
    public int ToleratedFaults { get; }

    private bool _completed;

    public IReadOnlyList<NodeSpec> Nodes { get; }
    public IReadOnlyList<NodeId> Replicas { get; }
    public IReadOnlyList<NodeId> Clients { get; }
    public Duration Warmup { get; }
    /// <summary>Mean offered load of the open-loop workload (0 for closed loop).</summary>
    public double OfferedTps { get; }

    public SafetyChecker Agreement { get; } = new();
    public LedgerValidityChecker Validity { get; } = new();
    public AvailabilityObserver Availability { get; }
    public IReadOnlyList<ISimulationObserver> Observers => [Agreement, Validity, Availability];

    /// <summary>Fault target for "leader" (the replica currently leading; the orderer for solo).</summary>
    public static NodeSelector Leader => AvailabilityObserver.Leader;

    /// <summary>Every safety violation found so far, in time order.</summary>
    public IReadOnlyList<SafetyViolation> SafetyViolations =>
        [.. Agreement.Violations.Concat(Validity.Violations).OrderBy(v => v.At.Nanos).ThenBy(v => v.Height)];

    /// <summary>Adds the observers to a simulation built from <see cref="Nodes"/>.</summary>
    public void Attach(Simulation simulation)
    {
        foreach (var o in Observers) simulation.AddObserver(o);
    }

    /// <summary>
    /// Adds the chain metrics to <paramref name="result"/>: scalars <c>throughput_tps</c> (client-final
    /// transactions per second after warm-up), <c>offered_tps</c>, <c>unavailable_s</c>,
    /// <c>leader_elections</c>, <c>messages_total</c>, <c>bytes_total</c>, <c>safety_violations</c>,
    /// <c>cpu_utilisation_max</c> (busiest replica) and <c>cpu_utilisation_&lt;node&gt;</c> per replica;
    /// the same counters; and one <c>safety</c> finding per violation (height, nodes, virtual time).
    /// A run with <c>safety_violations</c> &gt; 0 within the protocol's fault tolerance must fail (exit 3).
    /// </summary>
    public void Complete(RunResult result)
    {
        if (_completed) throw new InvalidOperationException("Complete is called once per run (it adds to the result's counters)");
        _completed = true;
        var m = result.Metrics;
        var end = result.Stats.FinalTime;
        var violations = SafetyViolations;
        var selfReported = m.Counter("safety_violations"); // replicas' own alarms (e.g. a committed entry truncated)
        var totalViolations = violations.Count + selfReported;

        m.Counters["safety_violations"] = totalViolations;
        m.Counters["messages_total"] = result.Stats.MessagesSent;
        m.Counters["bytes_total"] = result.Stats.BytesSent;
        m.Counters["unavailable_s"] = Availability.UnavailableSeconds;
        foreach (var v in violations) m.Findings.Add(new Finding(v.At, "safety", v.Description));
        if (violations.Count > 0)
        {
            var ordered = m.Findings.OrderBy(f => f.At.Nanos).ToList();
            m.Findings.Clear();
            m.Findings.AddRange(ordered);
        }

        m.Scalars["throughput_tps"] = Throughput(m, Warmup, end);
        m.Scalars["offered_tps"] = OfferedTps;
        m.Scalars["unavailable_s"] = Availability.UnavailableSeconds;
        m.Scalars["leader_elections"] = m.Counter("leader_elections");
        m.Scalars["messages_total"] = result.Stats.MessagesSent;
        m.Scalars["bytes_total"] = result.Stats.BytesSent;
        m.Scalars["safety_violations"] = totalViolations;
        double max = 0;
        foreach (var r in Replicas)
        {
            var u = result.Stats.CpuUtilisation[r.Value];
            m.Scalars["cpu_utilisation_" + result.Nodes.Name(r)] = u;
            max = Math.Max(max, u);
        }
        m.Scalars["cpu_utilisation_max"] = max;
        if (m.Samples.TryGetValue("commit_latency_s", out var lat) && lat.Length > 0)
        {
            var sorted = (double[])lat.Clone();
            Array.Sort(sorted);
            m.Scalars["commit_latency_mean_s"] = sorted.Average();
            m.Scalars["commit_latency_p50_s"] = Percentile(sorted, 0.50);
            m.Scalars["commit_latency_p99_s"] = Percentile(sorted, 0.99);
        }
    }

    /// <summary>Client-final transactions per second over whole series bins inside [warmup, end).</summary>
    public static double Throughput(RunMetrics m, Duration warmup, SimTime end)
    {
        if (!m.Series.TryGetValue("committed_tx", out var bins) || bins.Length == 0) return 0;
        var bin = m.SeriesBin.Nanos;
        var first = (warmup.Nanos + bin - 1) / bin;
        var last = end.Nanos / bin; // exclusive: the bin containing `end` is partial
        if (last <= first)
        {
            var span = (end.Nanos - warmup.Nanos) / 1e9;
            return span <= 0 ? 0 : bins.Sum() / Math.Max(span, 1e-9);
        }
        double total = 0;
        for (long i = first; i < last && i < bins.Length; i++) total += bins[i];
        return total / ((last - first) * bin / 1e9);
    }

    private static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(sorted.Length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /// <summary>
    /// Lays out a chain: <paramref name="chain"/>.Nodes replicas named <c>n0..</c> built by
    /// <paramref name="replica"/>(index, replica ids), then <paramref name="workload"/>.Clients load
    /// clients <c>c0..</c>, then <paramref name="extraNodes"/> (e.g. institutions, given the replica
    /// ids). Regions come from <see cref="ChainOptions.Placement"/> and
    /// <see cref="WorkloadOptions.ClientRegions"/>, round robin over the network's regions by default.
    /// With real signatures and no consortium given, every node becomes a member (replicas as validators).
    /// </summary>
    public static ChainWorld Assemble(
        ChainOptions chain, WorkloadOptions workload, NetworkSpec network,
        Func<int, IReadOnlyList<NodeId>, ChainOptions, INodeBehaviour> replica,
        Func<IReadOnlyList<NodeId>, IEnumerable<NodeSpec>>? extraNodes = null, ulong keySeed = 0, int toleratedFaults = 0)
    {
        workload.Validate();
        var replicas = Enumerable.Range(0, chain.Nodes).Select(i => new NodeId(i)).ToList();
        var clients = Enumerable.Range(chain.Nodes, workload.Clients).Select(i => new NodeId(i)).ToList();
        var extra = extraNodes?.Invoke(replicas).ToList() ?? [];

        if (chain.Members is null && chain.Signing.Mode == SignatureMode.Real)
        {
            var members = replicas.Select(r => new Member($"n{r.Value}", Role.Validator))
                .Concat(clients.Select((_, i) => new Member($"c{i}", Role.Client)))
                .Concat(extra.Select(e => new Member(e.Name, Role.Client)));
            chain = chain with { Members = new Consortium(members, keySeed) };
        }

        chain.Validate();

        int Region(IReadOnlyList<string>? names, int i)
        {
            if (names is null || names.Count == 0) return i % network.Regions.Count;
            var name = names[i % names.Count];
            var r = network.RegionIndex(name);
            return r >= 0 ? r : throw new ArgumentException($"region '{name}' is not one of the network's regions ({string.Join(", ", network.Regions)})");
        }

        var signing = chain.EffectiveSigning;
        var nodes = new List<NodeSpec>();
        for (int i = 0; i < chain.Nodes; i++)
        {
            var index = i;
            var c = chain;
            nodes.Add(new NodeSpec($"n{i}", Region(chain.Placement, i), "replica", () => replica(index, replicas, c)));
        }
        for (int i = 0; i < workload.Clients; i++)
        {
            var index = i;
            nodes.Add(new NodeSpec($"c{i}", Region(workload.ClientRegions, i), "client", () => new LoadClient(workload, index, replicas, signing)));
        }
        nodes.AddRange(extra);
        var offered = workload.ClosedLoopOutstanding is null ? workload.Arrivals.MeanRatePerSecond : 0;
        return new ChainWorld(nodes, replicas, clients, workload.Warmup, offered, toleratedFaults);
    }
}
