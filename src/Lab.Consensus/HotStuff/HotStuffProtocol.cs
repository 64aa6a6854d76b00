using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Sim.Faults;
using Lab.Sim.Nodes;

namespace Lab.Consensus.HotStuff;

/// <summary>
/// <c>protocol: hotstuff</c> as a chain runs it: <see cref="HotStuffReplica"/> on every replica, clients
/// that send each request to every replica (each keeps a mempool; leaders rotate every view), final on
/// f+1 matching replies. <see cref="HotStuffOptions.Replicas"/> and <see cref="HotStuffOptions.StateMachine"/>
/// come from the chain.
/// </summary>
public sealed class HotStuffProtocol(HotStuffOptions options) : BftProtocol
{
    public HotStuffOptions Options => options;
    public override string Name => "hotstuff";
    public override IReadOnlyList<ByzantineBehaviour> ByzantineBehaviours { get; } = [.. Shared, ByzantineBehaviour.ForgeQc, ByzantineBehaviour.StaleQc];

    /// <summary>"leader": the leader of the highest view a running replica is in (v mod n).</summary>
    public override IReadOnlyList<(string Word, NodeSelector Nodes)> FaultTargets { get; } =
        [("leader", LeaderOfHighestView.Selector("leader", (view, n) => (int)(view % n)))];

    public override FinalityRule Finality(ReplicaSet replicas) => FinalityRule.AllReplicas(Tolerance.Tolerated(replicas.Count));

    protected override Func<int, ByzantineRole, INodeBehaviour> Replica(BftCommittee committee, ChainOptions chain)
    {
        options.Validate();
        var o = options with { Replicas = committee.N, StateMachine = chain.StateMachine };
        return (r, role) => new HotStuffReplica(r, o, committee, role);
    }
}
