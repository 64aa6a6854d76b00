using Lab.Sim.Nodes;

namespace Lab.Consensus.Common;

/// <summary>
/// The replicas of a chain as clients and checkers see them: identities 0..<see cref="Count"/>−1,
/// each run by one node, or by two for a Twins-style twin (Bano et al. 2020: one identity and key,
/// two nodes). A client counts replies per identity, so a twin's two instances count once.
/// </summary>
public sealed class ReplicaSet
{
    private readonly NodeId[][] _instances;
    private readonly Dictionary<NodeId, int> _identityOf = [];
    private readonly NodeId[] _first;

    public ReplicaSet(IReadOnlyList<IReadOnlyList<NodeId>> instances)
    {
        if (instances.Count == 0) throw new ArgumentException("a chain needs at least one replica");
        _instances = [.. instances.Select(i => i.Count > 0 ? i.ToArray() : throw new ArgumentException("every replica runs on at least one node"))];
        for (int r = 0; r < _instances.Length; r++)
            foreach (var node in _instances[r]) _identityOf[node] = r;
        _first = [.. _instances.Select(i => i[0])];
    }

    /// <summary>One node per identity: identity r is node <paramref name="nodes"/>[r].</summary>
    public static ReplicaSet Of(IReadOnlyList<NodeId> nodes) => new([.. nodes.Select(n => (IReadOnlyList<NodeId>)[n])]);

    /// <summary>Replica identities (twins count once).</summary>
    public int Count => _instances.Length;

    /// <summary>The first node of each identity, in identity order: where clients address them.</summary>
    public IReadOnlyList<NodeId> Nodes => _first;

    /// <summary>The nodes running identity <paramref name="replica"/> (two for a twin).</summary>
    public IReadOnlyList<NodeId> Instances(int replica) => _instances[replica];

    /// <summary><see cref="Instances"/> as a span: for per-message loops (a foreach over the list boxes an enumerator).</summary>
    public ReadOnlySpan<NodeId> InstancesSpan(int replica) => _instances[replica];

    /// <summary>The identity a node runs, or −1 for clients and strangers.</summary>
    public int IdentityOf(NodeId node) => _identityOf.TryGetValue(node, out var r) ? r : -1;

    /// <summary>The first node of identity <paramref name="replica"/>.</summary>
    public NodeId NodeOf(int replica) => _first[replica];
}
