using Lab.Consensus.Common;
using Lab.Consensus.Pow;
using Lab.Consensus.Pow.SimBlock;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Sim.Metrics;
using Lab.Sim.Network;

namespace Lab.Experiments.Models;

/// <summary>
/// <c>chain.protocol: pow</c> — Nakamoto proof of work over a random peer graph: the public-chain row
/// of the seed's table. Nodes stop mining at <c>chain.pow.blocks</c>, so a run ends by itself once the
/// last block has spread (set <c>duration</c> long enough: about blocks × target interval, with margin).
/// Blocks travel by the lab's model of Bitcoin Core (<see cref="CoreRelay"/>) on a <c>nic</c> network,
/// and by SimBlock's rules (<see cref="SimBlockRelay"/>: its peer degrees, compact blocks and upload
/// rule) on a <c>network.model: simblock</c> network, where the Core relay's keys do not apply.
/// It runs through the chain contract (<see cref="PowProtocol"/>, <see cref="ChainWorld"/>): load clients
/// submit to a gateway node and wait for k confirmations, and the standard metrics sit beside the
/// <c>pow_</c> ones. Without a load in the file (<c>workload.rate</c>, <c>arrivals</c>, <c>outstanding</c>
/// or <c>trace</c>) there are no client transactions: blocks only.
/// </summary>
public sealed class PowModel : IModel
{
    public string Name => "pow";
    public ModelKind Kind => ModelKind.Protocol;
    public string Description => "proof of work (Nakamoto): mining race, gossip relay with real block sizes, forks, k-confirmation finality, selfish mining and double spends";
    /// <summary>Latency here is a block's: mined → k confirmations at the client.</summary>
    public IReadOnlyList<Lab.Reports.MetricWord> Words { get; } =
        [new(Lab.Reports.MetricWord.Throughput, "throughput_tps"), new(Lab.Reports.MetricWord.Latency, PowMetrics.ConfirmationLatency)];

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
        Key.Bool("chain.pow.serial-upload", "A node uploads one block at a time, requests queue.", true),
        Key.Int("chain.pow.confirmations", "k: a block (and its transactions) is final k blocks deep.", 6, min: 1),
        Key.Probability("chain.pow.tie-switch", "γ: share of honest hash power that mines on the attacker's block in a tie (Eyal & Sirer 2014).", "0"),
        Key.Number("chain.pow.reward-btc", "Block subsidy credited to the miner, in BTC.", "12.5", min: 0),
        Key.Int("chain.pow.fee-per-tx-sat", "Fee per transaction credited to the miner, in satoshi.", 5000, min: 0),
        Key.Time("chain.pow.block-verify", "CPU time to validate a block before relaying it (SimBlock's 2 ms processing per block).", "2ms"),
        Key.Time("chain.pow.tx-verify", "CPU time to validate one transaction of a block.", "0s"),
        Key.Choice("chain.pow.nodes-per-region", "How nodes spread over regions: `equal`, or `bitcoin-2019` (SimBlock's shares for the six-region preset).", ["equal", "bitcoin-2019"], "equal"),
        Key.Int("chain.pow.observer", "Index of the node whose chain defines the chain-level pow_ metrics and rewards (the merchant in a double spend).", 1, min: 0),
        Key.Time("chain.pow.tx-relay", "Time for a transaction to reach every miner from the node its client submitted it to (modelled as one delay: about four hops of Bitcoin Core's 2–5 s trickle).", "10s"),
        Key.Choice("chain.pow.attack", "An attacker at node n0: `none`, `selfish-mining` (Eyal & Sirer 2014) or `double-spend` (Nakamoto 2008 / Rosenfeld 2014).", ["none", "selfish-mining", "double-spend"], "none"),
        Key.Probability("chain.pow.attacker-share", "The attacker's share of all hash power (α or q).", "0.25"),
        Key.Int("chain.pow.give-up-behind", "Double spend: the attacker abandons its private branch this many blocks behind.", 20, min: 1),
        Key.Probability("chain.pow.simblock-compact-share", "On a simblock network: share of nodes that use compact block relay (SimBlock CBR_USAGE_RATE: 0.964; 0 reproduces SimBlock before compact blocks).", "0.964"),
    ];

    // Keys of the lab's Bitcoin Core relay that SimBlock's rules replace with their own.
    private static readonly string[] CoreRelayKeys =
    [
        "chain.pow.out-degree", "chain.pow.max-peers", "chain.pow.compact-blocks", "chain.pow.compact-miss-rate",
        "chain.pow.serial-upload", "chain.pow.block-verify", "chain.pow.tx-verify",
    ];

    public void Check(RunConfig config, Diagnostics problems)
    {
        ChainConfig.Check(config, problems);
        // A client waits about k block intervals for finality: resending every second would flood its gateway.
        var submits = Submits(config) && (config.Has("workload.outstanding") || ChainConfig.OfferedRate(config, 0) > 0);
        if (submits && config.Int("workload.clients.count") > 0 && config.Time("workload.retry-timeout") < config.Time("chain.pow.target-interval"))
        {
            // Point at the retry timeout if the file gives one, else at the load that makes clients submit.
            var at = new[] { "workload.retry-timeout" }.Concat(LoadKeys).FirstOrDefault(k => config.Entry(k) is { Origin: not "default" }) ?? "workload.retry-timeout";
            var given = config.Entry("workload.retry-timeout") is { Origin: not "default" } ? "" : " (the default)";
            problems.Error(config.MarkOf(at), "workload.retry-timeout",
                $"a proof-of-work client waits about {config.Int("chain.pow.confirmations")} block intervals for its confirmations; resending every {config.Time("workload.retry-timeout")}{given} floods its gateway: " +
                "set workload.retry-timeout to at least chain.pow.target-interval");
        }
        var simBlock = config.GetOr("network.model", "nic") == "simblock";
        bool Set(string key) => config.Entry(key) is { Origin: not "default" };
        if (simBlock)
        {
            foreach (var key in CoreRelayKeys.Where(Set))
                problems.Error(config.MarkOf(key), key, $"{key} does not apply on a simblock network: blocks travel by SimBlock's rules (its degree table, compact blocks and 2 ms processing)");
            if (config.Text("chain.pow.attack") != "none")
                problems.Error(config.MarkOf("chain.pow.attack"), "chain.pow.attack", "SimBlock's relay has no attackers: use a nic network (e.g. preset bitcoin-2019)");
            if (config.Number("chain.pow.tie-switch") > 0)
                problems.Error(config.MarkOf("chain.pow.tie-switch"), "chain.pow.tie-switch", "SimBlock's nodes keep the first block they saw: tie-switch must be 0 on a simblock network");
        }
        else if (Set("chain.pow.simblock-compact-share"))
            problems.Error(config.MarkOf("chain.pow.simblock-compact-share"), "chain.pow.simblock-compact-share", "chain.pow.simblock-compact-share applies only with network.model: simblock");
        if (config.Text("chain.pow.nodes-per-region") == "bitcoin-2019" && config.GetOr<List<object>>("network.regions", []).Count != SimBlockRules.RegionSharesBitcoin2019.Count)
            problems.Error(config.MarkOf("chain.pow.nodes-per-region"), "chain.pow.nodes-per-region",
                $"bitcoin-2019 has one share per region of SimBlock's six (north-america, europe, south-america, asia-pacific, japan, australia); the network has {config.GetOr<List<object>>("network.regions", []).Count}");
    }

    /// <summary>Every <c>pow_</c> metric; the chain contract's standard set (<see cref="MetricCatalog.EveryChainRun"/>) comes too,
    /// as every proof-of-work run goes through <see cref="ChainWorld"/>.</summary>
    public IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        .. MetricCatalog.EveryChainRun,
        new(PowMetrics.BlocksMined, "blocks mined by anyone"),
        new(PowMetrics.BlocksMainChain, "height of the observer's chain at the end"),
        new(PowMetrics.StaleBlocks, "mined blocks not on the observer's chain"),
        new(PowMetrics.StaleRate, "share of mined blocks that ended off the main chain"),
        new(PowMetrics.BlocksPropagated, "blocks that reached at least one other node"),
        new(PowMetrics.BlockInterval, "time between consecutive blocks of the observer's chain (samples)"),
        new(PowMetrics.MeanBlockInterval, "mean time between consecutive blocks of the observer's chain"),
        new(PowMetrics.ChainTps, "transactions on the observer's chain per second of chain time (final or not)"),
        new(PowMetrics.CapacityTps, "transactions per second the observer's blocks could carry at the clients' mean transaction size"),
        new(PowMetrics.FinalDifficulty, "difficulty of the observer's tip, relative to the start"),
        new(PowMetrics.BlockReach50, "per block: time from mining until half of all nodes have it (samples; percentiles as scalars)"),
        new(PowMetrics.BlockReach90, "per block: time from mining until 90% of all nodes have it (samples; percentiles as scalars)"),
        new(PowMetrics.BlockArrival, "time from mining until each node has the block, every (main-chain block, node) pair: SimBlock's propagation statistic"),
        new(Quantile.Name(PowMetrics.BlockReach50, 0.5), "median over blocks of the time to reach 50% of nodes"),
        new(Quantile.Name(PowMetrics.BlockReach50, 0.9), "p90 over blocks of the time to reach 50% of nodes"),
        new(Quantile.Name(PowMetrics.BlockReach90, 0.5), "median over blocks of the time to reach 90% of nodes"),
        new(Quantile.Name(PowMetrics.BlockReach90, 0.9), "p90 over blocks of the time to reach 90% of nodes"),
        new(Quantile.Name(PowMetrics.BlockArrival, 0.5), "median of every (block, node) arrival delay: SimBlock's statistic, exact"),
        new(Quantile.Name(PowMetrics.BlockArrival, 0.9), "p90 of every (block, node) arrival delay, exact"),
        new(PowMetrics.ConfirmationLatency, "block mined → k confirmations at the observer node"),
        new(Quantile.Name(PowMetrics.ConfirmationLatency, 0.5), "median of block mined → k confirmations"),
        new(Quantile.Name(PowMetrics.ConfirmationLatency, 0.9), "p90 of block mined → k confirmations"),
        new(PowMetrics.Reorgs, "reorganisations at any node (counter)"),
        new(PowMetrics.ReorgDepth, "blocks a reorganisation disconnected (samples)"),
        new(PowMetrics.FinalBlocksReverted, "blocks k deep on an honest node later taken back: a safety violation, or the attack's result"),
        new(PowMetrics.TxReturnedToMempool, "transactions a reorganisation returned to the mempool (counter, at the observer)"),
        new(PowMetrics.TxUnconfirmedByReorg, "transactions a reorganisation left unconfirmed (counter, at the observer)"),
        new(PowMetrics.DuplicateBlocks, "blocks received that the node already had (counter)"),
        new(PowMetrics.CompactBlockMisses, "compact blocks the receiver could not rebuild (counter)"),
        new(PowMetrics.MinerHashShare, "each miner's share of the hash power (samples)"),
        new(PowMetrics.MinerRewardShare, "each miner's share of the rewards on the observer's chain (samples)"),
        new(PowMetrics.MinerRewardTotal, "rewards and fees on the observer's chain, in BTC"),
        new(PowMetrics.AttackerHashShare, "the attacker's share of all hash power"),
        new(PowMetrics.AttackerRewardShare, "the attacker's share of main-chain rewards (vs its hash share)"),
        new(PowMetrics.AttackerBlockShare, "the attacker's share of the observer's chain's blocks: Eyal & Sirer's relative revenue"),
        new(PowMetrics.AttackerSuccessRate, "double spends that succeeded / attempted"),
        new(PowMetrics.DoubleSpendAttempts, "double-spend attempts that ended, published or abandoned"),
        new(PowMetrics.DoubleSpendAttemptsStarted, "double-spend attempts begun: a pre-mined block and a payment (counter)"),
        new(PowMetrics.DoubleSpendSuccesses, "payments the merchant delivered after k confirmations and then saw reversed (counter)"),
        new(PowMetrics.DoubleSpendPublished, "attempts whose private branch the attacker published (counter)"),
        new(PowMetrics.DoubleSpendAbandoned, "double-spend attempts given up (counter)"),
        new(PowMetrics.PaymentsAccepted, "payments the merchant delivered (counter)"),
        new(PowMetrics.SelfishBlocksWithheld, "blocks the selfish pool withheld when found (counter)"),
        new(PowMetrics.SelfishPublications, "times the selfish pool published part of its branch (counter)"),
    ];

    /// <summary>Proof of work lays its nodes out by <c>chain.pow.nodes-per-region</c>, cuts blocks by its own size
    /// keys, relays transactions without client signatures being checked, and has no Byzantine list (its attacks are
    /// <c>chain.pow.attack</c>).</summary>
    public IReadOnlyList<string> UnsupportedKeys { get; } =
        ["chain.placement", "chain.block.max-tx", "chain.block.max-size", "chain.block.timeout", "chain.signatures", "byzantine"];

    public World Build(RunContext context)
    {
        var c = context.Config;
        var workload = ChainConfig.Workload(context);
        if (!Submits(c)) workload = workload with { Clients = 0 };
        return ChainConfig.ToWorld(ChainWorld.Build(new PowProtocol(Options(c)), ChainConfig.Chain(context), workload, context.Network,
            keySeed: context.Seed));
    }

    /// <summary>Clients submit only when the file asks for a load: a proof-of-work experiment without one mines blocks only.</summary>
    private static bool Submits(RunConfig c) => LoadKeys.Any(k => c.Entry(k) is { Origin: not "default" });

    /// <summary>Keys that give the clients a load.</summary>
    private static readonly string[] LoadKeys = ["workload.rate", "workload.arrivals", "workload.outstanding", "workload.trace"];

    /// <summary>The protocol options of one run.</summary>
    public static PowOptions Options(RunConfig c)
    {
        var attackShare = c.Number("chain.pow.attacker-share");
        PowAttack? attack = c.Text("chain.pow.attack") switch
        {
            "selfish-mining" => new SelfishMiningAttack { HashShare = attackShare },
            "double-spend" => new DoubleSpendAttack { HashShare = attackShare, GiveUpBehind = c.Int("chain.pow.give-up-behind") },
            _ => null,
        };
        return new PowOptions
        {
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
            TxRelayDelay = c.Time("chain.pow.tx-relay"),
            BlockRewardSat = (long)Math.Round(c.Number("chain.pow.reward-btc") * 100_000_000),
            FeePerTxSat = c.Int("chain.pow.fee-per-tx-sat"),
            CompactBlocks = c.Bool("chain.pow.compact-blocks"),
            CompactMissRate = c.Number("chain.pow.compact-miss-rate"),
            SerialUpload = c.Bool("chain.pow.serial-upload"),
            BlockValidation = c.Time("chain.pow.block-verify"),
            TxValidation = c.Time("chain.pow.tx-verify"),
            ConfirmationDepth = c.Int("chain.pow.confirmations"),
            TieSwitchProbability = c.Number("chain.pow.tie-switch"),
            ObserverNode = c.Int("chain.pow.observer"),
            Attack = attack,
            RegionShares = c.Text("chain.pow.nodes-per-region") == "bitcoin-2019" ? SimBlockRules.RegionSharesBitcoin2019 : null,
            Relay = c.GetOr("network.model", "nic") == "simblock" ? PowRelay.SimBlock : PowRelay.Core,
            SimBlock = SimBlockRules.Current with { CbrUsageRate = (float)c.Number("chain.pow.simblock-compact-share") },
        };
    }
}
