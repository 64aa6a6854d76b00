using Lab.Consensus.Pow;
using Lab.Experiments.Schema;
using Lab.Experiments.Values;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>
/// <c>chain.protocol: pow</c> — Nakamoto proof of work over a random peer graph: the public-chain row
/// of the seed's table. Nodes stop mining at <c>chain.pow.blocks</c>, so a run ends by itself once the
/// last block has spread (set <c>duration</c> long enough: about blocks × target interval, with margin).
/// </summary>
public sealed class PowModel : IModel
{
    public string Name => "pow";
    public ModelKind Kind => ModelKind.Protocol;
    public string Description => "proof of work (Nakamoto): mining race, gossip relay with real block sizes, forks, k-confirmation finality, selfish mining and double spends";
    /// <summary>Latency here is a block's: mined → k confirmations at the client.</summary>
    public IReadOnlyList<Lab.Reports.MetricWord> Words { get; } =
        [new(Lab.Reports.MetricWord.Throughput, "throughput_tps"), new(Lab.Reports.MetricWord.Latency, "confirmation_latency_s")];

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Int("chain.pow.blocks", "Target height: miners stop after this many blocks on the main chain.", 100, min: 1, max: 10_000_000),
        Key.Time("chain.pow.target-interval", "Mean time between blocks the difficulty aims for (Bitcoin: 10min).", "10min", min: 1e-6),
        Key.Size("chain.pow.block-size", "Largest block (Bitcoin 2019 average as in SimBlock: 535KB).", "535KB", min: 1),
        Key.Bool("chain.pow.fixed-block-size", "Every block has exactly block-size bytes (as SimBlock does), whatever the mempool holds.", false),
        Key.NumberDistribution("chain.pow.hash-power", "Relative hash power of each miner, drawn per miner (absent: equal)."),
        Key.Int("chain.pow.miners", "How many nodes mine (absent: all).", null, min: 1),
        Key.Int("chain.pow.retarget-window", "Blocks between difficulty retargets (Bitcoin: 2016; 0: never retarget).", 2016, min: 0),
        Key.Number("chain.pow.retarget-clamp", "Largest factor one retarget may change the difficulty by (Bitcoin: 4).", "4", min: 1),
        Key.Int("chain.pow.out-degree", "Outbound peers each node opens (Bitcoin Core: 8).", 8, min: 1),
        Key.Int("chain.pow.max-peers", "Most peers a node accepts in total (Bitcoin Core: 125).", 125, min: 1),
        Key.Bool("chain.pow.compact-blocks", "Relay header + short transaction ids (BIP 152) instead of full blocks.", false),
        Key.Probability("chain.pow.compact-miss-rate", "Share of compact blocks a receiver cannot rebuild, falling back to the full block.", "0.1"),
        Key.Bool("chain.pow.serial-upload", "A node uploads one block at a time (as SimBlock).", true),
        Key.Int("chain.pow.confirmations", "k: a block (and its transactions) is final k blocks deep.", 6, min: 1),
        Key.Probability("chain.pow.tie-switch", "γ: share of honest hash power that mines on the attacker's block in a tie (Eyal & Sirer 2014).", "0"),
        Key.Number("chain.pow.reward-btc", "Block subsidy credited to the miner, in BTC.", "12.5", min: 0),
        Key.Int("chain.pow.fee-per-tx-sat", "Fee per transaction credited to the miner, in satoshi.", 5000, min: 0),
        Key.Time("chain.pow.block-verify", "CPU time to validate a block before relaying it (SimBlock: 2ms).", "2ms"),
        Key.Time("chain.pow.tx-verify", "CPU time to validate one transaction of a block.", "0s"),
        Key.Choice("chain.pow.nodes-per-region", "How nodes spread over regions: `equal`, or `bitcoin-2019` (SimBlock's shares for the six-region preset).", ["equal", "bitcoin-2019"], "equal"),
        Key.Int("chain.pow.client", "Index of the node whose chain defines throughput, finality and rewards (the merchant in a double spend).", 1, min: 0),
        Key.Choice("chain.pow.attack", "An attacker at node n0: `none`, `selfish-mining` (Eyal & Sirer 2014) or `double-spend` (Nakamoto 2008 / Rosenfeld 2014).", ["none", "selfish-mining", "double-spend"], "none"),
        Key.Probability("chain.pow.attacker-share", "The attacker's share of all hash power (α or q).", "0.25"),
        Key.Int("chain.pow.give-up-behind", "Double spend: the attacker abandons its private branch this many blocks behind.", 20, min: 1),
    ];

    public IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        new("stale_rate", "share of mined blocks that ended off the main chain"),
        new("block_reach_50_p50_s", "median over blocks of the time to reach 50% of nodes"),
        new("block_reach_90_p50_s", "median over blocks of the time to reach 90% of nodes"),
        new("block_arrival_s", "time from mining until each node has the block (full propagation CDF)"),
        new("throughput_tps", "transactions on the client's final main chain per second"),
        new("confirmation_latency_s", "block mined → k confirmations at the client"),
        new("tx_confirmation_latency_s", "transaction arrival → k confirmations"),
        new("attacker_reward_share", "the attacker's share of main-chain rewards (vs its hash share)"),
        new("attacker_success_rate", "double spends that succeeded / attempted"),
    ];

    public World Build(RunContext context)
    {
        var c = context.Config;
        var attackShare = c.Number("chain.pow.attacker-share");
        PowAttack? attack = c.Text("chain.pow.attack") switch
        {
            "selfish-mining" => new SelfishMiningAttack { HashShare = attackShare },
            "double-spend" => new DoubleSpendAttack { HashShare = attackShare, GiveUpBehind = c.Int("chain.pow.give-up-behind") },
            _ => null,
        };
        var rate = ChainConfig.OfferedRate(c, 7);
        var options = new PowOptions
        {
            Nodes = c.Int("chain.nodes"),
            Miners = c.GetOr<long?>("chain.pow.miners", null) is { } m ? checked((int)m) : null,
            HashPower = c.GetOr<Lab.Sim.Distributions.Distribution?>("chain.pow.hash-power", null),
            TargetInterval = c.Time("chain.pow.target-interval"),
            RetargetWindow = c.Int("chain.pow.retarget-window"),
            RetargetClamp = c.Number("chain.pow.retarget-clamp"),
            TargetHeight = c.Int("chain.pow.blocks"),
            OutDegree = c.Int("chain.pow.out-degree"),
            MaxPeers = c.Int("chain.pow.max-peers"),
            MaxBlockBytes = checked((int)c.Size("chain.pow.block-size").Bytes),
            FixedBlockSize = c.Bool("chain.pow.fixed-block-size"),
            TxBytes = checked((int)c.Size("workload.tx-size").Bytes),
            TxPerSecond = rate,
            BlockRewardSat = (long)Math.Round(c.Number("chain.pow.reward-btc") * 100_000_000),
            FeePerTxSat = c.Int("chain.pow.fee-per-tx-sat"),
            CompactBlocks = c.Bool("chain.pow.compact-blocks"),
            CompactMissRate = c.Number("chain.pow.compact-miss-rate"),
            SerialUpload = c.Bool("chain.pow.serial-upload"),
            BlockValidation = c.Time("chain.pow.block-verify"),
            TxValidation = c.Time("chain.pow.tx-verify"),
            ConfirmationDepth = c.Int("chain.pow.confirmations"),
            TieSwitchProbability = c.Number("chain.pow.tie-switch"),
            ClientNode = c.Int("chain.pow.client"),
            Attack = attack,
        };
        var weights = c.Text("chain.pow.nodes-per-region") == "bitcoin-2019" && context.Network.Regions.Count == SimBlockNetwork.NodeShare.Length
            ? SimBlockNetwork.NodeShare
            : null;
        var pow = PowWorld.Build(options, context.Network, weights, context.Seed);
        var world = new World();
        world.Nodes.AddRange(pow.Nodes);
        world.Observers.AddRange(pow.Observers);
        world.Finish = pow.Summarise;
        return world;
    }
}
