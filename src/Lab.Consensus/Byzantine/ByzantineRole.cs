namespace Lab.Consensus.Byzantine;

/// <summary>
/// How a replica behaves, resolved against the committee: honest, or which Byzantine behaviour,
/// who its colluders are, and which variant (A = 0, B = 1) of a conflicting message each recipient gets.
/// </summary>
public sealed class ByzantineRole
{
    private readonly int[] _variant;
    private readonly HashSet<int> _colluders;

    public ByzantineRole(int replica, BftCommittee committee, IReadOnlyList<ByzantineSpec> all)
    {
        Replica = replica;
        Spec = all.FirstOrDefault(s => s.Replica == replica) ?? new ByzantineSpec(replica, ByzantineBehaviour.Honest);
        Behaviour = Spec.Behaviour;
        IsByzantine = Behaviour != ByzantineBehaviour.Honest;
        var colluders = _colluders = Spec.Collude ? all.Where(s => s.Collude).Select(s => s.Replica).ToHashSet() : [replica];
        // Honest replicas in id order, alternately A and B; colluders (and self) always see A.
        _variant = new int[committee.N];
        int rank = 0;
        for (int r = 0; r < committee.N; r++)
        {
            var byzantine = colluders.Contains(r) || all.Any(s => s.Replica == r && s.Behaviour != ByzantineBehaviour.Twin && s.Behaviour != ByzantineBehaviour.Honest);
            _variant[r] = colluders.Contains(r) ? 0 : byzantine ? 0 : rank++ % 2;
        }
    }

    public static ByzantineRole Honest(int replica, BftCommittee committee) => new(replica, committee, []);

    public int Replica { get; }
    public ByzantineSpec Spec { get; }
    // Fields, not computed: asked on every message sent and by the safety checkers on every barrier.
    public ByzantineBehaviour Behaviour { get; }
    /// <summary>Twins run honest code; everything else except Honest is Byzantine.</summary>
    public bool IsByzantine { get; }
    public bool Is(ByzantineBehaviour b) => Behaviour == b;

    /// <summary>True for this replica and, if it colludes, for every other colluder.</summary>
    public bool ColludesWith(int replica) => _colluders.Contains(replica);

    /// <summary>Which of two conflicting variants recipient <paramref name="replica"/> gets.</summary>
    public int VariantFor(int replica) => _variant[replica];
}
