using Lab.Consensus.Byzantine;
using Lab.Ledger.Batching;
using Lab.Ledger.State;
using Lab.Sim.Time;

namespace Lab.Consensus.Pbft;

/// <summary>PBFT parameters (Castro-Liskov TOCS'02 §4, §5). Defaults suit a LAN/WAN consortium of a few dozen replicas.</summary>
public sealed record PbftOptions
{
    /// <summary>Replicas n (tolerates f = ⌊(n−1)/3⌋ Byzantine).</summary>
    public int Replicas { get; init; } = 4;
    /// <summary>Batching (§5.1): at most this many transactions and bytes per pre-prepare; the primary
    /// proposes a smaller batch once the batch timeout has passed since it last could not fill one (0: at once).</summary>
    public BlockOptions Block { get; init; } = new();
    /// <summary>Checkpoint period K in sequence numbers (§4.3).</summary>
    public int CheckpointInterval { get; init; } = 128;
    /// <summary>Watermark window L: sequence numbers in (h, h+L] are accepted (§4.3); at least 2K.</summary>
    public int WatermarkWindow { get; init; } = 256;
    /// <summary>First view-change timeout; doubles on each consecutive view change without progress (§4.5.2).</summary>
    public Duration ViewChangeTimeout { get; init; } = Duration.FromSeconds(1);
    /// <summary>Cap of the doubling: at most 2^this × the first timeout.</summary>
    public int MaxBackoffDoublings { get; init; } = 6;
    public AuthenticationCosts Costs { get; init; } = new();
    /// <summary>Signing keys: modelled (default) or real ECDSA (<see cref="CommitteeKeys.Real"/>).</summary>
    public CommitteeKeys Keys { get; init; } = CommitteeKeys.Modelled;
    /// <summary>The replicated application (a fresh one per replica instance).</summary>
    public Func<IStateMachine> StateMachine { get; init; } = () => new NullStateMachine();
}
