using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Sim.Network;
using Lab.Sim.Nodes;

namespace Lab.Consensus.Solo;

/// <summary>Builds a solo-orderer chain (the YAML layer's entry point for <c>protocol: solo</c>).</summary>
public static class SoloWorld
{
    /// <summary>
    /// Replica <c>n0</c> is the orderer, <c>n1..</c> are peers; clients <c>c0..</c> run <see cref="LoadClient"/>
    /// (peers redirect them to the orderer). Same run sequence as <c>RaftWorld.Build</c>.
    /// </summary>
    public static ChainWorld Build(SoloOptions solo, ChainOptions chain, WorkloadOptions workload, NetworkSpec network,
                                   Func<IReadOnlyList<NodeId>, IEnumerable<NodeSpec>>? extraNodes = null, ulong keySeed = 0)
    {
        return ChainWorld.Assemble(chain, workload, network, (index, replicas, c) =>
            index == 0
                ? new SoloOrderer(solo, c, replicas.Skip(1).ToList())
                : new SoloPeer(c, replicas[0]), extraNodes, keySeed);
    }
}
