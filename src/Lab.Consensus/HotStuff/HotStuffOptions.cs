using Lab.Consensus.Byzantine;
using Lab.Ledger.Batching;
using Lab.Ledger.State;
using Lab.Sim.Time;

namespace Lab.Consensus.HotStuff;

/// <summary>Chained HotStuff parameters (Yin et al. PODC'19, Algorithm 3 and §6).</summary>
public sealed record HotStuffOptions
{
    /// <summary>Replicas n (tolerates f = ⌊(n−1)/3⌋ Byzantine); the leader of view v is replica v mod n.</summary>
    public int Replicas { get; init; } = 4;
    /// <summary>At most this many transactions and bytes per node (block). A leader without a full block
    /// pending waits the batch timeout before proposing (possibly an empty node, which keeps the chain
    /// moving so earlier nodes commit). 0: at once.</summary>
    public BlockOptions Block { get; init; } = new();
    /// <summary>First view timeout; doubles with each consecutive timeout, back to this after progress.</summary>
    public Duration ViewTimeout { get; init; } = Duration.FromSeconds(1);
    public int MaxBackoffDoublings { get; init; } = 6;
    /// <summary>Two-chain commit (Jolteon / DiemBFT-v4): lock on the highest QC, commit a node once its
    /// child in the next view is certified. One view faster, same safety (needs the view-based pacemaker).</summary>
    public bool TwoChain { get; init; }
    public AuthenticationCosts Costs { get; init; } = new();
    /// <summary>Signing keys: modelled (default) or real ECDSA (<see cref="CommitteeKeys.Real"/>).</summary>
    public CommitteeKeys Keys { get; init; } = CommitteeKeys.Modelled;
    public Func<IStateMachine> StateMachine { get; init; } = () => new NullStateMachine();
}
