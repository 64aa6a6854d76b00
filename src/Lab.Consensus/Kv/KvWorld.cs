using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Workload;
using Lab.Sim.Nodes;
using Lab.Sim.Network;

namespace Lab.Consensus.Kv;

/// <summary>
/// A chain of any protocol replicating a <see cref="KvStore"/>, driven by <see cref="KvClient"/>s (named <c>c0..</c>,
/// clients in the fault layer's sense) that record one <see cref="KvHistory"/>. Reads go through the log like
/// every other operation, which is what makes them linearizable.
/// </summary>
public static class KvWorld
{
    public static (ChainWorld World, KvHistory History) Build(ChainProtocol protocol, ChainOptions chain, KvClientOptions kv, NetworkSpec network,
        IReadOnlyList<ByzantineSpec>? byzantine = null)
    {
        var history = new KvHistory(kv.Clients);
        // Clients never give up: an operation left without an answer stays open in the history.
        var world = ChainWorld.Build(protocol, chain with { StateMachine = () => new KvStore() }, WorkloadOptions.None, network, byzantine,
            access => Enumerable.Range(0, kv.Clients).Select(i => new NodeSpec($"c{i}", i % network.Regions.Count, ChainWorld.ClientKind,
                () => new KvClient(kv, access.Finality with { MaxAttempts = int.MaxValue }, i, access.Replicas, access.Signing, history))));
        return (world, history);
    }
}
