using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Ledger.State;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Finance.Chain;

/// <summary>
/// The consortium chain an on-chain settlement variant runs on: any registered protocol
/// (<see cref="ChainProtocol"/>), laid out by the shared <see cref="ChainWorld"/> with the
/// institutions as its extra nodes. The exchange submits through the shared client
/// (<c>FinalityTracker</c>) under the protocol's finality rule; the chain's checkers and standard
/// metrics come with it.
/// </summary>
/// <param name="Protocol">The protocol and its options.</param>
/// <param name="Options">Replicas, placement, block cutting and signatures; the state machine is the
/// scenario's (each replica's own DvP contract runtime), whatever is set here.</param>
public sealed record SettlementChain(ChainProtocol Protocol, ChainOptions Options)
{
    /// <summary>A submitting institution resends a transaction not final after this long. Default 1 s.</summary>
    public Duration RetryTimeout { get; init; } = Duration.FromSeconds(1);

    /// <summary>Replicas that deviate (within the protocol's behaviours). Default none.</summary>
    public IReadOnlyList<ByzantineSpec> Byzantine { get; init; } = [];

    /// <summary>Lays the chain out on <paramref name="network"/>: every replica runs its own <paramref name="stateMachine"/>
    /// (the scenario's contracts; a new one per replica and restart), and the scenario's <paramref name="institutions"/>
    /// come after the replicas, submitting through the chain's access. No load clients: the institutions are the load.</summary>
    public ChainWorld Build(NetworkSpec network, ulong seed, Func<IStateMachine> stateMachine, Func<ChainAccess, IEnumerable<NodeSpec>> institutions) =>
        ChainWorld.Build(Protocol, Options with { StateMachine = stateMachine }, WorkloadOptions.None with { RetryTimeout = RetryTimeout },
            network, Byzantine, institutions, keySeed: seed);
}
