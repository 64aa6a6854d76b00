using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Sim.Faults;
using Lab.Sim.Metrics;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Tests.Byzantine;

/// <summary>The same protocol with another client finality rule, e.g. PBFT clients that send every request to every replica.</summary>
internal sealed class WithFinality(ChainProtocol inner, Func<ReplicaSet, FinalityRule> finality) : ChainProtocol
{
    public override string Name => inner.Name;
    public override FaultTolerance Tolerance => inner.Tolerance;
    public override IReadOnlyList<ByzantineBehaviour> ByzantineBehaviours => inner.ByzantineBehaviours;
    public override IReadOnlyList<(string Word, NodeSelector Nodes)> FaultTargets => inner.FaultTargets;
    public override FinalityRule Finality(ReplicaSet replicas) => finality(replicas);
    public override Func<int, INodeBehaviour> Replicas(ReplicaSet replicas, ChainOptions chain, IReadOnlyList<ByzantineSpec> byzantine) => inner.Replicas(replicas, chain, byzantine);
    public override double LeaderElections(RunMetrics metrics, int replicaNodes) => inner.LeaderElections(metrics, replicaNodes);
}
