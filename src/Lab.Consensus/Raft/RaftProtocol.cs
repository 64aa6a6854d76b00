using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Raft;

/// <summary>
/// <c>protocol: raft</c> as a chain runs it: <see cref="RaftReplica"/> on every replica, clients that
/// send to the leader and follow redirects (one committed reply is final), crash fault tolerance
/// (a majority must stay up and connected, §5).
/// </summary>
public sealed class RaftProtocol(RaftOptions options) : ChainProtocol
{
    public RaftOptions Options => options;
    public override string Name => "raft";
    public override FaultTolerance Tolerance => FaultTolerance.Crash;
    public override FinalityRule Finality(ReplicaSet replicas) => FinalityRule.LeaderReply;

    public override Func<int, INodeBehaviour> Replicas(ReplicaSet replicas, ChainOptions chain, IReadOnlyList<ByzantineSpec> byzantine)
    {
        options.Validate();
        var servers = replicas.Nodes;
        return _ => new RaftReplica(options, chain, servers);
    }
}
