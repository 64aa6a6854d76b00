using Lab.Consensus.Byzantine;

namespace Lab.Consensus.Pbft;

/// <summary>Builds a PBFT world (replicas n0..n{n−1}, clients c0..) for experiments and tests.</summary>
public static class PbftWorld
{
    /// <summary>
    /// <paramref name="world"/>'s clients default to sending to the primary (PBFT §4.1). Add
    /// <see cref="BftWorld.Observers"/> to the simulation; <see cref="BftWorld.DeriveMetrics"/> gives
    /// throughput_tps, commit_latency_s_*, view_changes, messages_per_decision, bytes_per_decision,
    /// rejected_messages, safety_violations and CPU utilisation.
    /// </summary>
    public static BftWorld Build(PbftOptions options, BftWorldOptions? world = null) =>
        BftWorld.Build(options.Replicas, world ?? new BftWorldOptions(),
            (replica, committee, role) => new PbftReplica(replica, options, committee, role));
}
