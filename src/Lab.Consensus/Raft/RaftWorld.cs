using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Sim.Network;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Raft;

/// <summary>Builds a Raft chain for a run (the YAML layer's entry point for <c>protocol: raft</c>).</summary>
public static class RaftWorld
{
    /// <summary>
    /// Replicas <c>n0..</c> run <see cref="RaftReplica"/>; clients <c>c0..</c> run <see cref="LoadClient"/>
    /// with <paramref name="workload"/> (finality: one reply from the leader, with redirects).
    /// Then: <c>var sim = new Simulation(options, network, world.Nodes, faults); world.Attach(sim);
    /// var result = sim.Run(); world.Complete(result);</c> and fail the run if
    /// <c>world.SafetyViolations.Count &gt; 0</c> with at most a minority faulty.
    /// </summary>
    public static ChainWorld Build(RaftOptions raft, ChainOptions chain, WorkloadOptions workload, NetworkSpec network,
                                   Func<IReadOnlyList<NodeId>, IEnumerable<NodeSpec>>? extraNodes = null, ulong keySeed = 0)
    {
        raft.Validate();
        return ChainWorld.Assemble(chain, workload, network,
            (_, replicas, c) => new RaftReplica(raft, c, replicas), extraNodes, keySeed,
            toleratedFaults: (chain.Nodes - 1) / 2); // §5: a majority must stay up and connected
    }
}
