namespace Lab.Sim.Nodes;

/// <summary>Static facts about the nodes of a run: names, regions and kinds (replica, client, ...).</summary>
public sealed class NodeDirectory
{
    private readonly NodeSpec[] _nodes;
    private readonly Dictionary<string, NodeId> _byName;

    public NodeDirectory(IReadOnlyList<NodeSpec> nodes)
    {
        _nodes = [.. nodes];
        _byName = new Dictionary<string, NodeId>(StringComparer.Ordinal);
        for (int i = 0; i < _nodes.Length; i++)
            if (!_byName.TryAdd(_nodes[i].Name, new NodeId(i)))
                throw new ArgumentException($"two nodes are named '{_nodes[i].Name}'");
    }

    public int Count => _nodes.Length;
    public NodeSpec this[NodeId id] => _nodes[id.Value];
    public string Name(NodeId id) => _nodes[id.Value].Name;
    public int Region(NodeId id) => _nodes[id.Value].Region;
    public IEnumerable<NodeId> All => Enumerable.Range(0, _nodes.Length).Select(i => new NodeId(i));
    public IEnumerable<NodeId> OfKind(string kind) => All.Where(n => _nodes[n.Value].Kind == kind);
    public bool TryFind(string name, out NodeId id) => _byName.TryGetValue(name, out id);
    public NodeId Find(string name) => _byName.TryGetValue(name, out var id) ? id : throw new KeyNotFoundException($"no node named '{name}'");
}

/// <summary>One node of a run: its name, region index, kind and how to build its behaviour.</summary>
/// <param name="Factory">Builds a fresh behaviour: at start and after each restart.</param>
public sealed record NodeSpec(string Name, int Region, string Kind, Func<INodeBehaviour> Factory);
