using Lab.Ledger.State;
using Lab.Sim.Nodes;

namespace Lab.Finance.Chain;

/// <summary>
/// Plugs any replica set that speaks <c>ClientRequest</c>/<c>ClientReply</c> into the securities world:
/// the experiment layer passes a function building the protocol's replicas around a state-machine
/// factory, and the client's trust rule. Examples:
/// Raft — <c>new ReplyQuorumOptions(names, MatchingReplies: 1, SendToAll: false, RetryAfter: 2s)</c>
/// (the leader's committed reply is final; followers answer with a leader hint);
/// PBFT/HotStuff — <c>MatchingReplies: f + 1, SendToAll: true</c>.
/// </summary>
public sealed class ConsensusChain(string protocol, Func<Func<IStateMachine>, IReadOnlyList<NodeSpec>> replicas, ReplyQuorumOptions client) : ISettlementChain
{
    public string Protocol => protocol;

    public string FinalityRule => client.MatchingReplies == 1
        ? $"one committed reply ({protocol} leader)"
        : $"{client.MatchingReplies} matching committed replies of {client.Replicas.Count} replicas";

    public IReadOnlyList<NodeSpec> Replicas(Func<IStateMachine> stateMachine) => replicas(stateMachine);

    public IChainClient NewClient() => new ReplyQuorumClient(client);
}
