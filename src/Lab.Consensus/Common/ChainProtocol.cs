using Lab.Consensus.Byzantine;
using Lab.Consensus.Workload;
using Lab.Sim.Faults;
using Lab.Sim.Metrics;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Common;

/// <summary>
/// A consensus protocol as a chain runs it: everything the shared <see cref="ChainWorld"/>, the shared
/// client (<see cref="FinalityTracker"/>), the checkers and the experiment layer need to know, in one
/// place. To add a protocol, subclass this next to its replica (see <c>Raft/RaftProtocol.cs</c>, about
/// 30 lines) and register a model for it in the experiment layer; every workload option, fault, checker,
/// standard metric and scenario (securities settlement) then works with it unchanged.
/// </summary>
public abstract class ChainProtocol
{
    /// <summary>The value of <c>chain.protocol</c>, e.g. "raft".</summary>
    public abstract string Name { get; }

    /// <summary>How many faulty replicas it survives (the experiment loader checks n against it).</summary>
    public abstract FaultTolerance Tolerance { get; }

    /// <summary>The Byzantine behaviours its replicas implement (empty: none). <see cref="ByzantineBehaviour.Twin"/>
    /// makes <see cref="ChainWorld"/> run the replica as two nodes with one identity.</summary>
    public virtual IReadOnlyList<ByzantineBehaviour> ByzantineBehaviours => [];

    /// <summary>Words a fault may target besides node and region names. Default: "leader", the replica acting
    /// as leader in the highest term it can see (<see cref="AvailabilityObserver.Leader"/>).</summary>
    public virtual IReadOnlyList<(string Word, NodeSelector Nodes)> FaultTargets => [("leader", AvailabilityObserver.Leader)];

    /// <summary>When a client may call its transaction final, and how it chases it. The retry timeout is
    /// replaced by the workload's.</summary>
    public abstract FinalityRule Finality(ReplicaSet replicas);

    /// <summary>
    /// Prepares one run's replicas: the returned function builds the behaviour of replica identity r
    /// (again after each restart, and once for each node of a twin). <paramref name="chain"/> carries the
    /// replicated state machine, block cutting and signatures; <paramref name="byzantine"/> lists the
    /// replicas that deviate (only behaviours from <see cref="ByzantineBehaviours"/>).
    /// Replicas must implement <see cref="IBlockSource"/> (the checkers look inside committed blocks; not needed
    /// when <see cref="Prepare"/> returns a <see cref="ProtocolRun"/>, which then checks them itself), reply
    /// to clients with <see cref="ClientReply"/>, and count their replica-to-replica traffic
    /// (<see cref="ProtocolTraffic"/>) for <c>messages_per_decision</c>; <see cref="ILeaderRole"/> gives
    /// <c>unavailable_s</c> and the "leader" fault target.
    /// </summary>
    public abstract Func<int, INodeBehaviour> Replicas(ReplicaSet replicas, ChainOptions chain, IReadOnlyList<ByzantineSpec> byzantine);

    /// <summary>
    /// Prepares what one run needs beyond replicas and clients, before <see cref="Replicas"/> is called
    /// for it (see <see cref="ProtocolRun"/>). Default null: the standard placement, checkers and
    /// availability. A protocol that returns one keeps its per-run state in it and builds its replicas from it.
    /// </summary>
    public virtual ProtocolRun? Prepare(ChainSite site) => null;

    /// <summary>Leaders installed in the run, from its counters (<paramref name="replicaNodes"/>: nodes running
    /// replicas, twins included). Default: the <c>leader_elections</c> counter, one per leader installed.</summary>
    public virtual double LeaderElections(RunMetrics metrics, int replicaNodes) => metrics.Counter(StandardMetrics.LeaderElections);
}
