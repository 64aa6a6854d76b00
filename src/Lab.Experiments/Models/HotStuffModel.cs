using Lab.Consensus.HotStuff;
using Lab.Experiments.Schema;

namespace Lab.Experiments.Models;

/// <summary><c>chain.protocol: hotstuff</c> — chained HotStuff (Yin et al. 2019): linear view change, rotating leaders, tolerates f Byzantine of 3f+1.</summary>
public sealed class HotStuffModel : IModel
{
    public string Name => "hotstuff";
    public ModelKind Kind => ModelKind.Protocol;
    public string Description => "chained HotStuff: rotating leaders, linear communication; tolerates f Byzantine of 3f+1";
    public FaultTolerance Tolerance => FaultTolerance.Byzantine;

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Time("chain.hotstuff.view-timeout", "First view timeout; doubles with each consecutive timeout.", "1s", min: 1e-6),
        Key.Bool("chain.hotstuff.two-chain", "Two-chain commit (Jolteon/DiemBFT-v4): one view faster, same safety.", false),
    ];

    public IReadOnlyList<MetricInfo> Metrics => ChainMetrics.All;

    public static HotStuffOptions Options(RunConfig c) => new()
    {
        Replicas = c.Int("chain.nodes"),
        MaxBatch = c.Int("chain.block.max-tx"),
        BatchTimeout = c.Time("chain.block.timeout"),
        ViewTimeout = c.Time("chain.hotstuff.view-timeout"),
        TwoChain = c.Bool("chain.hotstuff.two-chain"),
    };

    public World Build(RunContext context) => BftModels.ToWorld(HotStuffWorld.Build(Options(context.Config), BftModels.WorldOptions(context)));
}
