using Lab.Consensus.Byzantine;
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
/// A chain ready to run, for every protocol: its nodes (replicas <c>n0..</c>, twins <c>n{r}-twin</c>,
/// load clients <c>c0..</c>, then any extra nodes such as institutions), the observers that check
/// agreement and validity and measure availability, the fault-target words, and <see cref="Complete"/>,
/// the one place that turns a finished <see cref="RunResult"/> into the standard metrics
/// (<see cref="StandardMetrics"/>). Built by <c>Build</c> from a <see cref="ChainProtocol"/>.
/// <para>Run sequence: <c>var sim = new Simulation(options, network, world.Nodes, faults); world.Attach(sim);
/// var result = sim.Run(); world.Complete(result);</c> then fail the run if <see cref="Violations"/> is not
/// empty and the faults stayed within <see cref="ToleratedFaults"/>.</para>
/// </summary>
public sealed class ChainWorld
{
    /// <summary>Node kind of replicas (and twins) in the directory.</summary>
    public const string ReplicaKind = "replica";
    /// <summary>Node kind of load clients.</summary>
    public const string ClientKind = "client";
    /// <summary>A twin of replica r is named <c>n{r}-twin</c>.</summary>
    public const string TwinSuffix = "-twin";

    private readonly EndOfRun _end = new();
    private readonly ProtocolRun? _run;
    private bool _completed;

    private ChainWorld(ChainProtocol protocol, IReadOnlyList<NodeSpec> nodes, ReplicaSet replicas, IReadOnlyList<NodeId> replicaNodes,
        IReadOnlyList<NodeId> clients, ChainAccess access, Duration warmup, double offeredTps, ProtocolRun? run, (int First, int Count)? scope = null)
    {
        _run = run;
        Agreement = new SafetyChecker { Scope = scope };
        Validity = new LedgerValidityChecker { Scope = scope };
        Protocol = protocol;
        Nodes = nodes;
        Replicas = replicas;
        ReplicaNodes = replicaNodes;
        Clients = clients;
        Access = access;
        Warmup = warmup;
        OfferedTps = offeredTps;
        ToleratedFaults = protocol.Tolerance.Tolerated(replicas.Count);
        Availability = new AvailabilityObserver { From = SimTime.Zero + warmup };
    }

    public ChainProtocol Protocol { get; }
    public IReadOnlyList<NodeSpec> Nodes { get; }
    /// <summary>Replica identities and the nodes running them.</summary>
    public ReplicaSet Replicas { get; }
    /// <summary>Every node running a replica, twins included, in node order.</summary>
    public IReadOnlyList<NodeId> ReplicaNodes { get; }
    public IReadOnlyList<NodeId> Clients { get; }
    /// <summary>How nodes submit to this chain: replicas, finality rule (with the workload's retry timeout), signing.</summary>
    public ChainAccess Access { get; }
    public FinalityRule Finality => Access.Finality;
    public Duration Warmup { get; }
    /// <summary>Mean offered load of the open-loop workload (0 for closed loop or no load clients).</summary>
    public double OfferedTps { get; }

    /// <summary>Replicas that may fail at once with safety still guaranteed (the protocol's tolerance for n).
    /// Within it a safety violation is a bug and the run must fail (exit 3); beyond it, a result.</summary>
    public int ToleratedFaults { get; }

    /// <summary>The standard agreement checker (not attached when the protocol brings its own <see cref="ProtocolRun"/>).</summary>
    public SafetyChecker Agreement { get; }
    /// <summary>The standard validity checker (not attached when the protocol brings its own <see cref="ProtocolRun"/>).</summary>
    public LedgerValidityChecker Validity { get; }
    /// <summary>The standard availability measure (not attached when the protocol brings its own <see cref="ProtocolRun"/>).</summary>
    public AvailabilityObserver Availability { get; }
    /// <summary>The protocol's own run machinery (<see cref="ChainProtocol.Prepare"/>), or null for the standard one.</summary>
    public ProtocolRun? Run => _run;
    public IReadOnlyList<ISimulationObserver> Observers => _run is null ? [Agreement, Validity, Availability, _end] : [_run, _end];

    /// <summary>Stop predicate between windows: the protocol run's, or none.</summary>
    public Func<ISimulationView, bool>? StopWhen => _run is null ? null : _run.Finished;

    /// <summary>Fault-target words ("leader", "primary") and the nodes each resolves to.</summary>
    public IReadOnlyList<(string Word, NodeSelector Nodes)> FaultTargets => Protocol.FaultTargets;

    /// <summary>Fault target for "leader" under Raft and solo (the replica currently leading; the orderer for solo).</summary>
    public static NodeSelector Leader => AvailabilityObserver.Leader;

    /// <summary>Every agreement and validity violation found so far, in time order.</summary>
    public IReadOnlyList<SafetyViolation> Violations =>
        [.. SafetyFound.Concat(ValidityFound).OrderBy(v => v.At.Nanos).ThenBy(v => v.Height)];

    private IReadOnlyList<SafetyViolation> SafetyFound => _run?.SafetyViolations ?? Agreement.Violations;
    private IReadOnlyList<SafetyViolation> ValidityFound => _run?.ValidityViolations ?? Validity.Violations;

    /// <summary>Adds the observers to a simulation built from <see cref="Nodes"/>.</summary>
    public void Attach(Simulation simulation)
    {
        foreach (var o in Observers) simulation.AddObserver(o);
    }

    /// <summary>
    /// Adds the standard metrics (<see cref="StandardMetrics"/>) to <paramref name="result"/>, one
    /// definition each, whatever the protocol: throughput after warm-up over whole series bins, offered
    /// load, commit latency mean and percentiles (<see cref="Quantile"/>), kernel message and byte counts,
    /// replica-to-replica messages and bytes per decision, leader elections (the protocol says how to
    /// count them), unavailability, CPU of the busiest replica, decisions, commits per replica node,
    /// safety (agreement, plus the replicas' own alarms) and validity violations, with one finding each
    /// (<c>safety</c> or <c>validity</c>). Call once per run.
    /// </summary>
    public void Complete(RunResult result)
    {
        if (_completed) throw new InvalidOperationException("Complete is called once per run (it adds to the result's counters)");
        _completed = true;
        var m = result.Metrics;
        var end = result.Stats.FinalTime;
        // Replicas' own alarms (e.g. a Raft leader asked to truncate a committed entry) count as safety violations.
        var safety = SafetyFound.Count + m.Counter(StandardMetrics.SafetyViolations);
        var validity = ValidityFound.Count;
        var unavailable = _run?.UnavailableSeconds ?? Availability.UnavailableSeconds;

        m.Counters[StandardMetrics.SafetyViolations] = safety;
        m.Counters[StandardMetrics.ValidityViolations] = validity;
        m.Counters[StandardMetrics.MessagesTotal] = result.Stats.MessagesSent;
        m.Counters[StandardMetrics.BytesTotal] = result.Stats.BytesSent;
        m.Counters[StandardMetrics.UnavailableSeconds] = unavailable;
        foreach (var v in SafetyFound) m.Findings.Add(new Finding(v.At, StandardMetrics.SafetyFinding, v.Description));
        foreach (var v in ValidityFound) m.Findings.Add(new Finding(v.At, StandardMetrics.ValidityFinding, v.Description));
        var violations = Violations;
        if (violations.Count > 0)
        {
            var ordered = m.Findings.OrderBy(f => f.At.Nanos).ToList();
            m.Findings.Clear();
            m.Findings.AddRange(ordered);
            m.Scalars[StandardMetrics.FirstViolationHeight] = violations[0].Height;
            m.Scalars[StandardMetrics.FirstViolationTime] = violations[0].At.Seconds;
        }

        m.Scalars[StandardMetrics.ThroughputTps] = Throughput(m, Warmup, end);
        m.Scalars[StandardMetrics.OfferedTps] = OfferedTps;
        m.Scalars[StandardMetrics.UnavailableSeconds] = unavailable;
        m.Scalars[StandardMetrics.LeaderElections] = Protocol.LeaderElections(m, ReplicaNodes.Count);
        m.Scalars[StandardMetrics.MessagesTotal] = result.Stats.MessagesSent;
        m.Scalars[StandardMetrics.BytesTotal] = result.Stats.BytesSent;
        m.Scalars[StandardMetrics.SafetyViolations] = safety;
        m.Scalars[StandardMetrics.ValidityViolations] = validity;

        var decisions = _run?.Decisions ?? Agreement.HighestHeight;
        m.Scalars[StandardMetrics.Decisions] = decisions;
        m.Scalars[StandardMetrics.MessagesPerDecision] = m.Counter(StandardMetrics.ProtocolMessages) / Math.Max(1, decisions);
        m.Scalars[StandardMetrics.BytesPerDecision] = m.Counter(StandardMetrics.ProtocolBytes) / Math.Max(1, decisions);
        foreach (var (node, height) in _end.Heights)
            m.Scalars[StandardMetrics.CommitsPerNodePrefix + result.Nodes.Name(node)] = height;

        double max = 0;
        foreach (var r in ReplicaNodes)
        {
            var u = result.Stats.CpuUtilisation[r.Value];
            if (_run?.PerReplicaScalars ?? true) m.Scalars[StandardMetrics.CpuUtilisationNodePrefix + result.Nodes.Name(r)] = u;
            max = Math.Max(max, u);
        }
        m.Scalars[StandardMetrics.CpuUtilisationMax] = max;

        if (m.Samples.TryGetValue(StandardMetrics.CommitLatency, out var lat) && lat.Length > 0)
        {
            var sorted = (double[])lat.Clone();
            Array.Sort(sorted);
            m.Scalars[StandardMetrics.CommitLatencyMean] = sorted.Average();
            foreach (var p in StandardMetrics.LatencyPercentiles)
                m.Scalars[Quantile.Name(StandardMetrics.CommitLatency, p)] = Quantile.OfSorted(sorted, p);
        }
        _run?.AddMetrics(result);
    }

    /// <summary>Client-final transactions per second over whole series bins inside [warmup, end).</summary>
    public static double Throughput(RunMetrics m, Duration warmup, SimTime end)
    {
        if (!m.Series.TryGetValue(StandardMetrics.CommittedTx, out var bins) || bins.Length == 0) return 0;
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

    /// <summary>
    /// Lays out a chain of <paramref name="protocol"/>: <paramref name="chain"/>.Nodes replicas named
    /// <c>n0..</c>; a twin <c>n{r}-twin</c> for each replica listed with <see cref="ByzantineBehaviour.Twin"/>;
    /// <paramref name="workload"/>.Clients load clients <c>c0..</c>; then <paramref name="extraNodes"/> (e.g.
    /// institutions, given how to submit). Regions come from <see cref="ChainOptions.Placement"/> and
    /// <see cref="WorkloadOptions.ClientRegions"/>, round robin over the network's regions by default (a
    /// twin sits in its replica's region). With real signatures and no consortium given, every node
    /// becomes a member (replicas as validators).
    /// </summary>
    public static ChainWorld Build(
        ChainProtocol protocol, ChainOptions chain, WorkloadOptions workload, NetworkSpec network,
        IReadOnlyList<ByzantineSpec>? byzantine = null, Func<ChainAccess, IEnumerable<NodeSpec>>? extraNodes = null, ulong keySeed = 0)
        => Build(protocol, chain, workload, network, new ChainSlot(0, ""), byzantine, extraNodes, keySeed);

    /// <summary>
    /// <see cref="Build(ChainProtocol, ChainOptions, WorkloadOptions, NetworkSpec, IReadOnlyList{ByzantineSpec}?, Func{ChainAccess, IEnumerable{NodeSpec}}?, ulong)"/>
    /// for one of several chains sharing a network (issue 14 §4): its nodes take the ids from <paramref name="slot"/>.First on
    /// (the caller puts <see cref="Nodes"/> at that index of the run's node list) and their names start with the slot's prefix;
    /// its agreement and validity checkers look at its own replicas only. A protocol that brings its own run machinery
    /// (<see cref="ChainProtocol.Prepare"/>, e.g. proof of work) addresses nodes 0.. and cannot take a slot other than the first.
    /// </summary>
    public static ChainWorld Build(
        ChainProtocol protocol, ChainOptions chain, WorkloadOptions workload, NetworkSpec network, ChainSlot slot,
        IReadOnlyList<ByzantineSpec>? byzantine = null, Func<ChainAccess, IEnumerable<NodeSpec>>? extraNodes = null, ulong keySeed = 0)
    {
        var first = slot.First;
        var prefix = slot.Prefix;
        workload.Validate();
        byzantine ??= [];
        var n = chain.Nodes;
        if (n < 1) throw new ArgumentException("chain.nodes must be at least 1");
        foreach (var b in byzantine)
        {
            if (b.Replica < 0 || b.Replica >= n) throw new ArgumentException($"Byzantine replica {b.Replica} is not one of the {n} replicas");
            if (b.Behaviour != ByzantineBehaviour.Honest && !protocol.ByzantineBehaviours.Contains(b.Behaviour))
                throw new ArgumentException($"{protocol.Name} has no Byzantine behaviour {b.Behaviour}");
        }
        var twins = byzantine.Where(b => b.Behaviour == ByzantineBehaviour.Twin).Select(b => b.Replica).Distinct().Order().ToList();
        var instances = Enumerable.Range(0, n).Select(r => new List<NodeId> { new(first + r) }).ToList();
        for (int t = 0; t < twins.Count; t++) instances[twins[t]].Add(new NodeId(first + n + t));
        var replicas = new ReplicaSet([.. instances.Select(i => (IReadOnlyList<NodeId>)i)]);
        var replicaNodes = Enumerable.Range(first, n + twins.Count).Select(i => new NodeId(i)).ToList();
        var firstClient = first + n + twins.Count;
        var clients = Enumerable.Range(firstClient, workload.Clients).Select(i => new NodeId(i)).ToList();

        var finality = protocol.Finality(replicas) with { RetryTimeout = workload.RetryTimeout, MaxAttempts = workload.MaxAttempts };
        // Extra nodes are laid out once to learn their names (consortium members), again with the final signing.
        var provisional = new ChainAccess(replicas, finality, chain.EffectiveSigning);
        var extra = extraNodes?.Invoke(provisional).ToList() ?? [];
        if (chain.Members is null && chain.Signing.Mode == SignatureMode.Real)
        {
            var members = Enumerable.Range(0, n).Select(r => new Member($"{prefix}n{r}", Role.Validator))
                .Concat(clients.Select((_, i) => new Member($"{prefix}c{i}", Role.Client)))
                .Concat(extra.Select(e => new Member(e.Name, Role.Client)));
            chain = chain with { Members = new Consortium(members, keySeed) };
            extra = extraNodes?.Invoke(provisional with { Signing = chain.EffectiveSigning }).ToList() ?? [];
        }
        chain.Validate();
        var access = new ChainAccess(replicas, finality, chain.EffectiveSigning);

        int Region(IReadOnlyList<string>? names, int i)
        {
            if (names is null || names.Count == 0) return i % network.Regions.Count;
            var name = names[i % names.Count];
            var r = network.RegionIndex(name);
            return r >= 0 ? r : throw new ArgumentException($"region '{name}' is not one of the network's regions ({string.Join(", ", network.Regions)})");
        }

        var run = protocol.Prepare(new ChainSite(network, keySeed, n, n + twins.Count + workload.Clients + extra.Count, SimTime.Zero + workload.Warmup));
        if (run is not null && first != 0) throw new ArgumentException($"{protocol.Name} runs its own machinery over nodes 0..: it cannot share a network with another chain before it");
        var replica = protocol.Replicas(replicas, chain, byzantine);
        var nodes = new List<NodeSpec>();
        for (int i = 0; i < n; i++)
        {
            var id = i;
            nodes.Add(new NodeSpec($"{prefix}n{i}", run?.RegionOf(i) ?? Region(chain.Placement, i), ReplicaKind, () => replica(id)));
        }
        foreach (var t in twins)
            nodes.Add(new NodeSpec($"{prefix}n{t}{TwinSuffix}", Region(chain.Placement, t), ReplicaKind, () => replica(t)));
        for (int i = 0; i < workload.Clients; i++)
        {
            var index = i;
            nodes.Add(new NodeSpec($"{prefix}c{i}", Region(workload.ClientRegions, i), ClientKind,
                () => new LoadClient(workload, finality, index, replicas, access.Signing)));
        }
        nodes.AddRange(extra);
        var offered = workload.ClosedLoopOutstanding is null && workload.Clients > 0 ? workload.Arrivals.MeanRatePerSecond : 0;
        return new ChainWorld(protocol, nodes, replicas, replicaNodes, clients, access, workload.Warmup, offered, run,
            first == 0 && prefix.Length == 0 ? null : (first, n + twins.Count));
    }

    /// <summary>Blocks each replica node (honest or not) committed by the end of the run.</summary>
    private sealed class EndOfRun : ISimulationObserver
    {
        public List<(NodeId Node, int Height)> Heights { get; } = [];

        public void OnBarrier(ISimulationView view) { }

        public void OnEnd(ISimulationView view)
        {
            for (int i = 0; i < view.Directory.Count; i++)
            {
                var node = new NodeId(i);
                if (view.Directory[node].Kind == ReplicaKind && view.BehaviourOf(node) is IReplica { Commits: { } log })
                    Heights.Add((node, log.Count));
            }
        }
    }
}

/// <summary>Where a chain's nodes go in a run shared with other chains: from node id <paramref name="First"/> on, named
/// <paramref name="Prefix"/><c>n0</c>, <paramref name="Prefix"/><c>n1</c>, ... (the first chain of a single-chain run: 0 and "").</summary>
public readonly record struct ChainSlot(int First, string Prefix);
