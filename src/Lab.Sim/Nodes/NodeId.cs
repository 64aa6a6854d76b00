namespace Lab.Sim.Nodes;

/// <summary>Index of a simulated node (replica, client, institution) in its run, 0-based.</summary>
public readonly record struct NodeId(int Value) : IComparable<NodeId>
{
    public int CompareTo(NodeId other) => Value.CompareTo(other.Value);
    public override string ToString() => "#" + Value;
}
