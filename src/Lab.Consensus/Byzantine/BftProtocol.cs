using Lab.Consensus.Common;
using Lab.Sim.Metrics;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// What PBFT and HotStuff share as chain protocols: Byzantine fault tolerance (n ≥ 3f+1), the shared
/// Byzantine behaviours (twins run as two nodes of one identity), one <see cref="BftCommittee"/> per run with a
/// <see cref="ByzantineRole"/> per replica, and leader elections counted as view changes per replica.
/// </summary>
public abstract class BftProtocol : ChainProtocol
{
    public override FaultTolerance Tolerance => FaultTolerance.Byzantine;

    /// <summary>The behaviours both protocols implement; each adds its own attacks on its certificates.</summary>
    protected static readonly IReadOnlyList<ByzantineBehaviour> Shared =
    [
        ByzantineBehaviour.Silent, ByzantineBehaviour.Equivocate, ByzantineBehaviour.DoubleVote,
        ByzantineBehaviour.Withhold, ByzantineBehaviour.Forge, ByzantineBehaviour.Twin,
    ];

    public sealed override Func<int, INodeBehaviour> Replicas(ReplicaSet replicas, ChainOptions chain, IReadOnlyList<ByzantineSpec> byzantine)
    {
        var committee = new BftCommittee([.. Enumerable.Range(0, replicas.Count).Select(replicas.Instances)]);
        var replica = Replica(committee, chain);
        return r => replica(r, new ByzantineRole(r, committee, byzantine));
    }

    /// <summary>Prepares one run's replicas: builds replica r with its role (called per node and per restart).</summary>
    protected abstract Func<int, ByzantineRole, INodeBehaviour> Replica(BftCommittee committee, ChainOptions chain);

    /// <summary>Every replica counts each view change it makes: the mean over replica nodes is the run's view changes.</summary>
    public override double LeaderElections(RunMetrics metrics, int replicaNodes) => metrics.Counter(StandardMetrics.ViewChanges) / Math.Max(1, replicaNodes);
}
