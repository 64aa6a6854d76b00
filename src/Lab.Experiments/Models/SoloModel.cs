using Lab.Consensus.Solo;
using Lab.Consensus.Workload;
using Lab.Experiments.Schema;

namespace Lab.Experiments.Models;

/// <summary><c>chain.protocol: solo</c> — one sequencer orders everything: the centralised baseline. Its crash stops the chain.</summary>
public sealed class SoloModel : IModel
{
    public string Name => "solo";
    public ModelKind Kind => ModelKind.Protocol;
    public string Description => "solo orderer: one sequencer cuts blocks for everyone (centralised baseline; no fault tolerance)";

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Time("chain.solo.head-interval", "How often the orderer announces its chain head so lagging nodes can catch up.", "200ms", min: 1e-6),
        Key.Int("chain.solo.sync-batch", "Most blocks sent in one catch-up message.", 64, min: 1),
    ];

    public IReadOnlyList<MetricInfo> Metrics => ChainMetrics.All;

    /// <summary>The orderer's options of one run (also used by scenarios that run their chain on a solo orderer).</summary>
    public static SoloOptions Options(RunConfig c) => new() { HeadInterval = c.Time("chain.solo.head-interval"), SyncBatch = c.Int("chain.solo.sync-batch") };

    public World Build(RunContext context)
    {
        var chain = SoloWorld.Build(Options(context.Config), ChainConfig.Chain(context), ChainConfig.Workload(context, FinalityRule.LeaderReply), context.Network, keySeed: context.Seed);
        return ChainConfig.ToWorld(chain);
    }
}
