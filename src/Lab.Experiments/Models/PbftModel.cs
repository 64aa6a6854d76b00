using Lab.Consensus.Pbft;
using Lab.Experiments.Schema;

namespace Lab.Experiments.Models;

/// <summary><c>chain.protocol: pbft</c> — PBFT (Castro &amp; Liskov 2002): three-phase agreement, tolerates f Byzantine of 3f+1.</summary>
public sealed class PbftModel : IModel
{
    public string Name => "pbft";
    public ModelKind Kind => ModelKind.Protocol;
    public string Description => "PBFT: primary-backup Byzantine agreement with view changes; tolerates f Byzantine of 3f+1 (consortium chains)";
    public FaultTolerance Tolerance => FaultTolerance.Byzantine;

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Time("chain.pbft.view-change-timeout", "First view-change timeout; doubles on each view change without progress (§4.5.2).", "1s", min: 1e-6),
        Key.Int("chain.pbft.checkpoint-interval", "Checkpoint period K in sequence numbers (§4.3); the watermark window is 2K.", 128, min: 1),
    ];

    public IReadOnlyList<MetricInfo> Metrics => ChainMetrics.All;

    public static PbftOptions Options(RunConfig c) => new()
    {
        Replicas = c.Int("chain.nodes"),
        MaxBatch = c.Int("chain.block.max-tx"),
        BatchTimeout = c.Time("chain.block.timeout"),
        ViewChangeTimeout = c.Time("chain.pbft.view-change-timeout"),
        CheckpointInterval = c.Int("chain.pbft.checkpoint-interval"),
        WatermarkWindow = 2 * c.Int("chain.pbft.checkpoint-interval"),
    };

    public World Build(RunContext context) => BftModels.ToWorld(PbftWorld.Build(Options(context.Config), BftModels.WorldOptions(context)));
}
