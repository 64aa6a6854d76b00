using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Sim.Faults;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Pbft;

/// <summary>
/// <c>protocol: pbft</c> as a chain runs it: <see cref="PbftReplica"/> on every replica, clients that send
/// to the primary and to every replica on timeout, final on f+1 matching replies (Castro-Liskov §4.1).
/// <see cref="PbftOptions.Replicas"/> and <see cref="PbftOptions.StateMachine"/> come from the chain.
/// </summary>
public sealed class PbftProtocol(PbftOptions options) : BftProtocol
{
    public PbftOptions Options => options;
    public override string Name => "pbft";
    public override IReadOnlyList<ByzantineBehaviour> ByzantineBehaviours { get; } = [.. Shared, ByzantineBehaviour.LieInNewView, ByzantineBehaviour.ForgeProof];

    /// <summary>"leader" and "primary": the primary of the highest view a running replica is in (v mod n).</summary>
    public override IReadOnlyList<(string Word, NodeSelector Nodes)> FaultTargets { get; } =
    [
        ("leader", LeaderOfHighestView.Selector("leader", (view, n) => (int)(view % n))),
        ("primary", LeaderOfHighestView.Selector("primary", (view, n) => (int)(view % n))),
    ];

    public override FinalityRule Finality(ReplicaSet replicas) => FinalityRule.PrimaryQuorum(Tolerance.Tolerated(replicas.Count));

    protected override Func<int, ByzantineRole, INodeBehaviour> Replica(BftCommittee committee, ChainOptions chain)
    {
        var o = options with { Replicas = committee.N, StateMachine = chain.StateMachine };
        return (r, role) => new PbftReplica(r, o, committee, role);
    }
}
