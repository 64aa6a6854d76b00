using Lab.Consensus.Byzantine;
using Lab.Consensus.Common;
using Lab.Consensus.HotStuff;
using Lab.Experiments.Schema;

namespace Lab.Experiments.Models;

/// <summary><c>chain.protocol: hotstuff</c> — chained HotStuff (Yin et al. 2019): linear views, three-chain commit.</summary>
public sealed class HotStuffModel() : ChainModel(new HotStuffProtocol(new HotStuffOptions()))
{
    public override string Description => "chained HotStuff (Yin et al. 2019): rotating leaders, quorum certificates, three-chain commit; f Byzantine of 3f+1";

    public override IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        new(StandardMetrics.ViewChanges, "views given up on timeout, summed over replicas (leader_elections is the mean per replica)"),
        new(StandardMetrics.RejectedMessages, "messages honest replicas rejected (bad signatures, wrong sender, bad certificates)"),
        new(BftMetrics.HotStuffInvalidCertificates, "quorum or timeout certificates that do not verify against the committee and the signed value"),
        new(BftMetrics.HotStuffUnsafeProposals, "valid proposals an honest replica refused to vote for: neither extending its lock nor justified by a newer QC (safeNode)"),
    ];

    public override IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Time("chain.hotstuff.view-timeout", "The pacemaker moves to the next view after this long without progress (doubles while views keep failing).", "1s", min: 1e-6),
        Key.Bool("chain.hotstuff.two-chain", "Commit on a two-chain (Jolteon / DiemBFT-v4 style) instead of HotStuff's three-chain.", false),
        Key.Bool("chain.hotstuff.quiesce", "A leader with nothing uncommitted proposes no empty nodes (it sends its highest QC once, committing the tail) and replicas with nothing uncommitted pause the view timer while the view's leader holds a liveness lease: CometBFT's create_empty_blocks = false, with CockroachDB-style node liveness so a crashed idle leader is replaced. Any request wakes it. For long runs with little traffic. Off: the paper's pacemaker.", false),
        Key.Time("chain.hotstuff.liveness-heartbeat", "With quiesce: interval of each replica's liveness heartbeat (CockroachDB: 4.5 s).", "4.5s", min: 1e-6),
        Key.Time("chain.hotstuff.liveness-expiry", "With quiesce: how long a liveness lease lasts after its heartbeat (CockroachDB: 9 s); an idle view whose leader crashed times out this long plus a view timeout after its last heartbeat.", "9s", min: 1e-6),
        Key.Time("chain.cpu.aggregate", "CPU time to aggregate votes into one quorum certificate.", "100us", max: Key.MaxCpuPerOperation),
        Key.Time("chain.cpu.verify-aggregate", "CPU time to verify one aggregated quorum certificate.", "140us", max: Key.MaxCpuPerOperation),
    ];

    public override ChainProtocol Protocol(RunContext context)
    {
        var c = context.Config;
        return new HotStuffProtocol(new HotStuffOptions
        {
            Block = ChainConfig.Block(c),
            ViewTimeout = c.Time("chain.hotstuff.view-timeout"),
            TwoChain = c.Bool("chain.hotstuff.two-chain"),
            Quiesce = c.Bool("chain.hotstuff.quiesce"),
            LivenessHeartbeat = c.Time("chain.hotstuff.liveness-heartbeat"),
            LivenessExpiry = c.Time("chain.hotstuff.liveness-expiry"),
            Costs = PbftModel.Costs(c) with { Aggregate = c.Time("chain.cpu.aggregate"), VerifyAggregate = c.Time("chain.cpu.verify-aggregate") },
            Keys = PbftModel.CommitteeKeysOf(context),
        });
    }
}
