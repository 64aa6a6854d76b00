using Lab.Sim.Nodes;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// The replicas of a BFT protocol: <see cref="N"/> identities (replica ids 0..N-1), each run by one
/// node, or by two for a Twins-style twin (same identity and key, two nodes). Quorums follow
/// Castro-Liskov §3 / HotStuff §2: any two quorums intersect in at least one honest replica.
/// </summary>
public sealed class BftCommittee
{
    private readonly NodeId[][] _instances;
    private readonly Dictionary<NodeId, int> _replicaOf = [];
    /// <summary><see cref="_replicaOf"/> as an array by node id (every received message is checked against it).</summary>
    private readonly int[] _replicaOfNode;

    public BftCommittee(IReadOnlyList<IReadOnlyList<NodeId>> instances)
    {
        _instances = instances.Select(i => i.ToArray()).ToArray();
        for (int r = 0; r < _instances.Length; r++)
            foreach (var node in _instances[r]) _replicaOf[node] = r;
        var maxNode = _replicaOf.Count == 0 ? -1 : _replicaOf.Keys.Max(n => n.Value);
        _replicaOfNode = new int[maxNode < 0 || maxNode >= 1 << 20 ? 0 : maxNode + 1];
        Array.Fill(_replicaOfNode, -1);
        foreach (var (node, r) in _replicaOf)
            if (node.Value >= 0 && node.Value < _replicaOfNode.Length) _replicaOfNode[node.Value] = r;
        N = _instances.Length;
        F = (N - 1) / 3;
        // ⌈(n+f+1)/2⌉: 2f+1 when n = 3f+1, and still intersecting in an honest replica for other n.
        Quorum = (N + F + 2) / 2;
    }

    /// <summary>A committee whose replica r is node r.</summary>
    public static BftCommittee Simple(int n) => new(Enumerable.Range(0, n).Select(i => (IReadOnlyList<NodeId>)[new NodeId(i)]).ToList());

    public int N { get; }
    /// <summary>Byzantine replicas tolerated: ⌊(n−1)/3⌋.</summary>
    public int F { get; }
    /// <summary>Votes needed for a certificate: 2f+1 for n = 3f+1.</summary>
    public int Quorum { get; }

    /// <summary>The nodes running replica <paramref name="replica"/> (two for a twin).</summary>
    public IReadOnlyList<NodeId> Instances(int replica) => _instances[replica];

    /// <summary><see cref="Instances"/> as a span (no interface call per recipient on the send path).</summary>
    public ReadOnlySpan<NodeId> InstancesSpan(int replica) => _instances[replica];

    /// <summary>The replica id a node runs, or −1 for clients and strangers.</summary>
    public int ReplicaOf(NodeId node) =>
        (uint)node.Value < (uint)_replicaOfNode.Length ? _replicaOfNode[node.Value]
        : _replicaOfNode.Length == 0 && _replicaOf.TryGetValue(node, out var r) ? r : -1;

    /// <summary>The first node of a replica: where clients address it.</summary>
    public NodeId NodeOf(int replica) => _instances[replica][0];
}
