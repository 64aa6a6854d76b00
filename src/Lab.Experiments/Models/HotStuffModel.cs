using Lab.Consensus.HotStuff;
using Lab.Experiments.Schema;
using Lab.Ledger.Batching;

namespace Lab.Experiments.Models;

/// <summary><c>chain.protocol: hotstuff</c> — chained HotStuff (Yin et al. 2019): linear views, three-chain commit.</summary>
public sealed class HotStuffModel : IModel
{
    public string Name => "hotstuff";
    public ModelKind Kind => ModelKind.Protocol;
    public string Description => "chained HotStuff (Yin et al. 2019): rotating leaders, quorum certificates, three-chain commit; f Byzantine of 3f+1";
    public FaultTolerance Tolerance => FaultTolerance.Byzantine;
    public IReadOnlyList<string> ByzantineBehaviours => BftConfig.HotStuffBehaviours;
    public IReadOnlyList<MetricInfo> Metrics => BftConfig.Metrics;

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Time("chain.hotstuff.view-timeout", "The pacemaker moves to the next view after this long without progress (doubles while views keep failing).", "1s", min: 1e-6),
        Key.Bool("chain.hotstuff.two-chain", "Commit on a two-chain (Jolteon / DiemBFT-v4 style) instead of HotStuff's three-chain.", false),
        Key.Time("chain.cpu.aggregate", "CPU time to aggregate votes into one quorum certificate.", "100us"),
        Key.Time("chain.cpu.verify-aggregate", "CPU time to verify one aggregated quorum certificate.", "140us"),
    ];

    /// <summary>The protocol options of one run (also used by scenarios that run their chain on HotStuff).</summary>
    public static HotStuffOptions Options(RunConfig c) => new()
    {
        Replicas = c.Int("chain.nodes"),
        Block = new BlockOptions
        {
            MaxTransactions = c.Int("chain.block.max-tx"),
            MaxBytes = c.Size("chain.block.max-size").Bytes,
            BatchTimeout = c.Time("chain.block.timeout"),
        },
        ViewTimeout = c.Time("chain.hotstuff.view-timeout"),
        TwoChain = c.Bool("chain.hotstuff.two-chain"),
        Costs = BftConfig.Costs(c) with { Aggregate = c.Time("chain.cpu.aggregate"), VerifyAggregate = c.Time("chain.cpu.verify-aggregate") },
    };

    public World Build(RunContext context)
    {
        var leader = BftConfig.Leader(b => (b as HotStuffReplica)?.CurrentView, (view, n) => (int)(view % n));
        var options = Options(context.Config) with { Keys = BftConfig.Keys(context) };
        return BftConfig.ToWorld(HotStuffWorld.Build(options, BftConfig.World(context)), leader);
    }
}
