namespace Lab.Sim.Network;

/// <summary>
/// What faults have done to the network right now: partitions, cut links, loss bursts and slow
/// nodes. Changed only by the kernel between windows, read by nodes during windows.
/// </summary>
public sealed class NetworkConditions
{
    private readonly int[] _group;          // partition group per node; all 0 when healed; -1 reaches every group
    private readonly HashSet<long> _cut = [];
    private readonly double[] _slowFactor;  // latency multiplier per node (≥ 1)

    public NetworkConditions(int nodeCount)
    {
        _group = new int[nodeCount];
        _slowFactor = Enumerable.Repeat(1.0, nodeCount).ToArray();
    }

    public bool IsPartitioned { get; private set; }
    /// <summary>Changes whenever <see cref="Blocks"/> may answer differently (a partition, heal, cut or uncut).</summary>
    public long Version { get; private set; }
    /// <summary>Loss probability in force on top of the network's own (a loss burst).</summary>
    public double ExtraLoss { get; set; }
    /// <summary>Latency multiplier on every link (a latency spike), at least 1.</summary>
    public double LatencyFactor { get; private set; } = 1.0;

    /// <summary>Is traffic from <paramref name="from"/> to <paramref name="to"/> dropped?</summary>
    public bool Blocks(int from, int to) =>
        (IsPartitioned && _group[from] != _group[to] && _group[from] >= 0 && _group[to] >= 0)
        || (_cut.Count > 0 && _cut.Contains(Key(from, to)));

    public double SlowFactor(int from, int to) => LatencyFactor * Math.Max(_slowFactor[from], _slowFactor[to]);

    /// <summary>
    /// Splits the nodes into groups; nodes in no listed group form one more group together, except
    /// those in <paramref name="reachEveryone"/> (e.g. clients when only replicas are listed), which
    /// still reach every group.
    /// </summary>
    public void Partition(IReadOnlyList<IReadOnlyList<int>> groups, IReadOnlyCollection<int>? reachEveryone = null)
    {
        Array.Fill(_group, 0);
        foreach (var n in reachEveryone ?? []) _group[n] = -1;
        for (int g = 0; g < groups.Count; g++)
            foreach (var n in groups[g]) _group[n] = g + 1;
        IsPartitioned = true;
        Version++;
    }

    public void Heal()
    {
        Array.Fill(_group, 0);
        IsPartitioned = false;
        Version++;
    }

    /// <summary>Nodes in <paramref name="nodes"/> can no longer hear each other (both directions).</summary>
    public void Cut(IReadOnlyList<int> nodes)
    {
        foreach (var a in nodes) foreach (var b in nodes) if (a != b) _cut.Add(Key(a, b));
        Version++;
    }

    public void Uncut(IReadOnlyList<int> nodes)
    {
        foreach (var a in nodes) foreach (var b in nodes) _cut.Remove(Key(a, b));
        Version++;
    }

    public void SetLatencyFactor(double factor)
    {
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), "a latency spike multiplies by at least 1 (the kernel's lookahead relies on it)");
        LatencyFactor = factor;
    }

    public void SetSlow(IReadOnlyList<int> nodes, double factor)
    {
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), "a slow link multiplies latency by at least 1");
        foreach (var n in nodes) _slowFactor[n] = factor;
    }

    private static long Key(int a, int b) => ((long)a << 32) | (uint)b;
}
