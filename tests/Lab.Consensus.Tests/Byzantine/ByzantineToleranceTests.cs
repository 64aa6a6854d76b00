using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.HotStuff;
using Lab.Consensus.Pbft;
using Lab.Ledger.Batching;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Byzantine;

public class ByzantineToleranceTests
{
    private const int Seeds = 100;

    /// <summary>Behaviours only one protocol has (the others would run honest code under them).</summary>
    private static readonly Dictionary<ByzantineBehaviour, string> OnlyIn = new()
    {
        [ByzantineBehaviour.LieInNewView] = "pbft",
        [ByzantineBehaviour.ForgeProof] = "pbft",
        [ByzantineBehaviour.ForgeQc] = "hotstuff",
        [ByzantineBehaviour.StaleQc] = "hotstuff",
    };

    /// <summary>The counter each certificate attack must show up in (summed over the seeds).</summary>
    private static readonly Dictionary<ByzantineBehaviour, string> CaughtIn = new()
    {
        [ByzantineBehaviour.Forge] = BftMetrics.RejectedMessages,
        [ByzantineBehaviour.LieInNewView] = BftMetrics.PbftInvalidNewViews,
        [ByzantineBehaviour.ForgeProof] = BftMetrics.PbftInvalidViewChanges,
        [ByzantineBehaviour.ForgeQc] = BftMetrics.HotStuffInvalidCertificates,
        [ByzantineBehaviour.StaleQc] = BftMetrics.HotStuffUnsafeProposals,
    };

    public static TheoryData<string, ByzantineBehaviour> Cases()
    {
        var data = new TheoryData<string, ByzantineBehaviour>();
        foreach (var protocol in new[] { "pbft", "hotstuff", "hotstuff-2chain" })
            foreach (var b in Enum.GetValues<ByzantineBehaviour>().Where(b => b != ByzantineBehaviour.Honest))
                if (!OnlyIn.TryGetValue(b, out var only) || protocol.StartsWith(only, StringComparison.Ordinal))
                    data.Add(protocol, b);
        return data;
    }

    internal static ChainProtocol Protocol(string protocol) => protocol switch
    {
        "pbft" => new PbftProtocol(new PbftOptions { CheckpointInterval = 8, WatermarkWindow = 16, Block = new BlockOptions { MaxTransactions = 200 }, ViewChangeTimeout = Duration.FromMillis(200), MaxBackoffDoublings = 3 }),
        _ => new HotStuffProtocol(new HotStuffOptions { Block = new BlockOptions { MaxTransactions = 200 }, ViewTimeout = Duration.FromMillis(200), MaxBackoffDoublings = 3, TwoChain = protocol == "hotstuff-2chain" }),
    };

    internal static ChainWorld World(string protocol, IReadOnlyList<ByzantineSpec> byzantine, double stopAt, NetworkSpec network, int n = 4) =>
        ChainWorld.Build(Protocol(protocol), BftRun.Chain(n), BftRun.Load(40, retry: Duration.FromMillis(300), stopAt: stopAt), network, byzantine);

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Slow")]
    public void f_Byzantine_replicas_with_random_partitions_never_break_safety_and_commits_resume(string protocol, ByzantineBehaviour behaviour)
    {
        var network = new NetworkSpec { Jitter = new Lab.Sim.Distributions.Uniform(0.005, 0.015) };
        double caught = 0;
        // The Byzantine replica leads view 0 (PBFT) / view 4 (HotStuff: n0 leads views 4, 8, ...); a
        // lying new-view needs the primary of the first view change, n1.
        var byzantine = behaviour == ByzantineBehaviour.LieInNewView ? 1 : 0;
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            var spec = new ByzantineSpec(byzantine, behaviour, WithholdDelay: seed % 2 == 0 ? Duration.FromMillis(50) : null);
            var faults = RandomFaults.Schedule(seed, 4, byzantine, behaviour == ByzantineBehaviour.Twin, faultsEnd: 4);
            var run = BftRun.Create(World(protocol, [spec], stopAt: 6, network), network, Duration.FromSeconds(14), seed, faults).Run();
            Assert.True(run.World.Violations.Count == 0, $"seed {seed}: {run.World.Violations.FirstOrDefault()?.Description}");
            // Liveness after the network stabilises: every request is answered by f+1 replicas.
            var m = run.Result!.Metrics;
            Assert.True(m.Counter("submitted_tx") == m.Counter("committed_tx"), $"seed {seed}: {m.Counter("committed_tx")} of {m.Counter("submitted_tx")} committed");
            if (CaughtIn.TryGetValue(behaviour, out var counter)) caught += m.Counter(counter);
        }
        // The attack happened and was caught (it would be vacuous otherwise).
        if (CaughtIn.ContainsKey(behaviour)) Assert.True(caught > 0, $"{behaviour}: nothing caught in {Seeds} seeds");
    }
}
