using Lab.Consensus.Pbft;
using Lab.Experiments.Schema;
using Lab.Ledger.Batching;

namespace Lab.Experiments.Models;

/// <summary><c>chain.protocol: pbft</c> — Castro &amp; Liskov's PBFT: tolerates f Byzantine of 3f+1.</summary>
public sealed class PbftModel : IModel
{
    public string Name => "pbft";
    public ModelKind Kind => ModelKind.Protocol;
    public string Description => "PBFT (Castro & Liskov 1999): three-phase agreement with view changes; f Byzantine of 3f+1";
    public FaultTolerance Tolerance => FaultTolerance.Byzantine;
    public IReadOnlyList<string> ByzantineBehaviours => BftConfig.PbftBehaviours;
    public IReadOnlyList<MetricInfo> Metrics => BftConfig.Metrics;

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Time("chain.pbft.view-change-timeout", "A backup that waits this long for a request to commit starts a view change (doubles on repeated changes).", "1s", min: 1e-6),
        Key.Int("chain.pbft.checkpoint-interval", "Sequence numbers between checkpoints (stable at 2f+1 matching; the log below is discarded).", 128, min: 1),
        Key.Int("chain.pbft.watermark-window", "Sequence numbers a primary may run ahead of the last stable checkpoint (H − h).", 256, min: 2),
    ];

    /// <summary>The protocol options of one run (also used by scenarios that run their chain on PBFT).</summary>
    public static PbftOptions Options(RunConfig c) => new()
    {
        Replicas = c.Int("chain.nodes"),
        Block = new BlockOptions
        {
            MaxTransactions = c.Int("chain.block.max-tx"),
            MaxBytes = c.Size("chain.block.max-size").Bytes,
            BatchTimeout = c.Time("chain.block.timeout"),
        },
        ViewChangeTimeout = c.Time("chain.pbft.view-change-timeout"),
        CheckpointInterval = c.Int("chain.pbft.checkpoint-interval"),
        WatermarkWindow = c.Int("chain.pbft.watermark-window"),
        Costs = BftConfig.Costs(c),
    };

    public World Build(RunContext context)
    {
        var leader = BftConfig.Leader(b => (b as PbftReplica)?.View, (view, n) => (int)(view % n));
        var options = Options(context.Config) with { Keys = BftConfig.Keys(context) };
        return BftConfig.ToWorld(PbftWorld.Build(options, BftConfig.World(context)), leader);
    }
}
