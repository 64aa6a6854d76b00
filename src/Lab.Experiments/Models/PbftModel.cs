using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.Pbft;
using Lab.Experiments.Schema;

namespace Lab.Experiments.Models;

/// <summary><c>chain.protocol: pbft</c> — Castro &amp; Liskov's PBFT: tolerates f Byzantine of 3f+1.</summary>
public sealed class PbftModel() : ChainModel(new PbftProtocol(new PbftOptions()))
{
    public override string Description => "PBFT (Castro & Liskov 1999): three-phase agreement with view changes; f Byzantine of 3f+1";

    public override IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        new(StandardMetrics.ViewChanges, "views installed, summed over replicas (leader_elections is the mean per replica)"),
        new(StandardMetrics.RejectedMessages, "messages honest replicas rejected (bad signatures, wrong sender)"),
        new(BftMetrics.PbftInvalidViewChanges, "view-change messages rejected: their checkpoint or prepared certificates do not verify"),
        new(BftMetrics.PbftInvalidNewViews, "new-view messages rejected: V is not 2f+1 valid view-changes, or O is not what V implies"),
    ];

    public override IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Time("chain.pbft.view-change-timeout", "A backup that waits this long for a request to commit starts a view change (doubles on repeated changes).", "1s", min: 1e-6),
        Key.Int("chain.pbft.checkpoint-interval", "Sequence numbers between checkpoints (stable at 2f+1 matching; the log below is discarded).", 128, min: 1),
        Key.Int("chain.pbft.watermark-window", "Sequence numbers a primary may run ahead of the last stable checkpoint (H − h).", 256, min: 2),
    ];

    public override ChainProtocol Protocol(RunContext context)
    {
        var c = context.Config;
        return new PbftProtocol(new PbftOptions
        {
            Block = ChainConfig.Block(c),
            ViewChangeTimeout = c.Time("chain.pbft.view-change-timeout"),
            CheckpointInterval = c.Int("chain.pbft.checkpoint-interval"),
            WatermarkWindow = c.Int("chain.pbft.watermark-window"),
            Costs = Costs(c),
            Keys = CommitteeKeysOf(context),
        });
    }

    /// <summary>The committee's keys: real ECDSA keys from the run seed with <c>chain.signatures: real</c>, else modelled.</summary>
    public static CommitteeKeys CommitteeKeysOf(RunContext context) =>
        context.Config.Text("chain.signatures") == "real" ? CommitteeKeys.Real(context.Seed, context.Config.Int("chain.nodes")) : CommitteeKeys.Modelled;

    /// <summary>Authentication costs of BFT replicas from <c>chain.cpu.*</c>.</summary>
    public static AuthenticationCosts Costs(RunConfig c) => new()
    {
        Sign = c.Time("chain.cpu.sign"),
        Verify = c.Time("chain.cpu.verify"),
        HashPerKilobyte = c.Time("chain.cpu.hash-per-kb"),
    };
}
