using Lab.Consensus.Common;
using Lab.Consensus.Solo;
using Lab.Experiments.Schema;

namespace Lab.Experiments.Models;

/// <summary><c>chain.protocol: solo</c> — one sequencer orders everything: the centralised baseline. Its crash stops the chain.</summary>
public sealed class SoloModel() : ChainModel(new SoloProtocol(new SoloOptions()))
{
    public override string Description => "solo orderer: one sequencer cuts blocks for everyone (centralised baseline; no fault tolerance)";

    public override IReadOnlyList<MetricInfo> Metrics { get; } =
        [new(SoloMetrics.RejectedBlocks, "blocks a peer refused because they do not extend its chain's tip")];

    public override IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Time("chain.solo.head-interval", "How often the orderer announces its chain head so lagging nodes can catch up.", "200ms", min: 1e-6),
        Key.Int("chain.solo.sync-batch", "Most blocks sent in one catch-up message.", 64, min: 1),
    ];

    public override ChainProtocol Protocol(RunContext context) =>
        new SoloProtocol(new SoloOptions { HeadInterval = context.Config.Time("chain.solo.head-interval"), SyncBatch = context.Config.Int("chain.solo.sync-batch") });
}
