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
    /// <summary>
    /// Quiescence: a leader with nothing to propose (its mempool, which holds every request until it commits, is
    /// empty: its last proposal is committed) stops proposing empty nodes, sends its highest QC once so every replica
    /// commits the tail, and every replica with an empty mempool pauses its view timer while the view's leader holds
    /// a liveness lease. This is CometBFT's <c>create_empty_blocks = false</c> (consensus waits for transactions
    /// before proposing; its round timeouts do not run meanwhile), with CockroachDB-style node liveness (4.5 s
    /// heartbeats, 9 s expiry) added so a crashed idle leader is still replaced. Any request wakes it: clients send
    /// to every replica, and a replica holding an uncommitted request never pauses. Default off (the paper's pacemaker).
    /// </summary>
    public bool Quiesce { get; init; }
    /// <summary>Liveness heartbeat interval (CockroachDB node liveness: 4.5 s). Only with <see cref="Quiesce"/>.</summary>
    public Duration LivenessHeartbeat { get; init; } = Duration.FromMillis(4500);
    /// <summary>How long a liveness lease lasts after its heartbeat (CockroachDB: 9 s).</summary>
    public Duration LivenessExpiry { get; init; } = Duration.FromSeconds(9);
    public AuthenticationCosts Costs { get; init; } = new();
    /// <summary>Signing keys: modelled (default) or real ECDSA (<see cref="CommitteeKeys.Real"/>).</summary>
    public CommitteeKeys Keys { get; init; } = CommitteeKeys.Modelled;
    public Func<IStateMachine> StateMachine { get; init; } = () => new NullStateMachine();

    public void Validate()
    {
        if (Quiesce && !(LivenessHeartbeat.Nanos > 0 && LivenessHeartbeat < LivenessExpiry))
            throw new ArgumentException("hotstuff liveness heartbeat must be positive and shorter than the liveness expiry");
    }
}
