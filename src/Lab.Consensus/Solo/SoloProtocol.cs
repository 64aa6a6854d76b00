using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Solo;

/// <summary>
/// <c>protocol: solo</c>: replica <c>n0</c> is the <see cref="SoloOrderer"/>, the others are
/// <see cref="SoloPeer"/>s that redirect clients to it. No fault tolerance: its crash stops the chain.
/// </summary>
public sealed class SoloProtocol(SoloOptions options) : ChainProtocol
{
    public SoloOptions Options => options;
    public override string Name => "solo";
    public override FaultTolerance Tolerance => FaultTolerance.None;
    public override FinalityRule Finality(ReplicaSet replicas) => FinalityRule.LeaderReply;

    public override Func<int, INodeBehaviour> Replicas(ReplicaSet replicas, ChainOptions chain, IReadOnlyList<ByzantineSpec> byzantine)
    {
        var orderer = replicas.NodeOf(0);
        var peers = replicas.Nodes.Skip(1).ToList();
        return index => index == 0 ? new SoloOrderer(options, chain, peers) : new SoloPeer(chain, orderer);
    }
}
