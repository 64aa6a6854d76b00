using Lab.Sim.Nodes;

namespace Lab.Sim.Faults;

/// <summary>Which nodes a fault hits, resolved at the fault's virtual time.</summary>
public abstract record NodeSelector
{
    public abstract IReadOnlyList<NodeId> Resolve(ISimulationView view, Randomness.SimRandom faultRandom);

    public static NodeSelector Named(params string[] names) => new NamedNodes(names);
}

public sealed record NamedNodes(IReadOnlyList<string> Names) : NodeSelector
{
    public override IReadOnlyList<NodeId> Resolve(ISimulationView view, Randomness.SimRandom _) =>
        Names.Select(view.Directory.Find).ToList();
    public override string ToString() => "[" + string.Join(", ", Names) + "]";
}

public sealed record RegionNodes(string Region, string? Kind = null) : NodeSelector
{
    public override IReadOnlyList<NodeId> Resolve(ISimulationView view, Randomness.SimRandom _)
    {
        var r = view.RegionIndex(Region);
        return view.Directory.All.Where(n => view.Directory.Region(n) == r && (Kind is null || view.Directory[n].Kind == Kind)).ToList();
    }
    public override string ToString() => $"region {Region}";
}

public sealed record KindNodes(string Kind) : NodeSelector
{
    public override IReadOnlyList<NodeId> Resolve(ISimulationView view, Randomness.SimRandom _) => view.Directory.OfKind(Kind).ToList();
    public override string ToString() => $"all {Kind}s";
}

/// <summary>A share of the nodes of a kind, chosen with the run's fault stream (same seed ⇒ same nodes).</summary>
public sealed record FractionOfNodes(double Fraction, string? Kind = null) : NodeSelector
{
    public override IReadOnlyList<NodeId> Resolve(ISimulationView view, Randomness.SimRandom rng)
    {
        var pool = (Kind is null ? view.Directory.All : view.Directory.OfKind(Kind)).ToList();
        var k = (int)Math.Round(Fraction * pool.Count);
        for (int i = pool.Count - 1; i > 0; i--) { var j = rng.Next(i + 1); (pool[i], pool[j]) = (pool[j], pool[i]); }
        return pool.Take(k).OrderBy(n => n.Value).ToList();
    }
    public override string ToString() => $"{Fraction:P0} of {Kind ?? "nodes"}";
}

/// <summary>The nodes currently down (e.g. <c>restart: crashed</c>).</summary>
public sealed record CrashedNodes : NodeSelector
{
    public override IReadOnlyList<NodeId> Resolve(ISimulationView view, Randomness.SimRandom _) =>
        view.Directory.All.Where(n => view.StateOf(n) == NodeState.Down).ToList();
    public override string ToString() => "crashed";
}

/// <summary>Resolved by protocol code at fault time, e.g. "the current leader".</summary>
public sealed record DynamicNodes(string Description, Func<ISimulationView, IReadOnlyList<NodeId>> Choose) : NodeSelector
{
    public override IReadOnlyList<NodeId> Resolve(ISimulationView view, Randomness.SimRandom _) => Choose(view);
    public override string ToString() => Description;
}
