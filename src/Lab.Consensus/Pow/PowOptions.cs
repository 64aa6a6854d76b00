using Lab.Consensus.Pow.SimBlock;
using Lab.Sim.Distributions;
using Lab.Sim.Time;

namespace Lab.Consensus.Pow;

/// <summary>
/// Everything that defines a proof-of-work run except the network (latency, bandwidth): nodes,
/// hash power, difficulty, block contents, relay protocol, CPU costs, attack. Defaults follow
/// Bitcoin as simulated by SimBlock 2019 (dsg-titech/simblock) where a figure is needed.
/// </summary>
public sealed record PowOptions
{
    /// <summary>Share of nodes per region of the network, counted as SimBlock counts them
    /// (<see cref="SimBlock.SimBlockTopology.FollowDistribution"/>; e.g. <see cref="SimBlockRules.RegionSharesBitcoin2019"/>),
    /// or null: round robin over the regions.</summary>
    public IReadOnlyList<double>? RegionShares { get; init; }

    /// <summary>How many of the nodes (the replicas of the chain) mine: the first ones, the attacker included; null: all of them.</summary>
    public int? Miners { get; init; }

    /// <summary>Relative hash power of each honest miner, drawn per miner and normalised
    /// (SimBlock: normal, mean 400,000, sd 100,000; null: all equal).</summary>
    public Distribution? HashPower { get; init; }

    /// <summary>Target block interval; also the expected interval at the start (difficulty 1).</summary>
    public Duration TargetInterval { get; init; } = Duration.FromMinutes(10);

    /// <summary>Blocks per difficulty epoch (Bitcoin: 2016); 0 turns retargeting off.</summary>
    public int RetargetWindow { get; init; } = 2016;

    /// <summary>Bitcoin clamps one retarget to a factor of 4 either way.</summary>
    public double RetargetClamp { get; init; } = 4;

    /// <summary>Total hash power changes over time (e.g. ×2 at 30 days), applied to every miner.</summary>
    public IReadOnlyList<HashRateStep> HashRateSteps { get; init; } = [];

    /// <summary>Nodes stop mining once their chain reaches this height; the run then drains and ends.</summary>
    public int TargetHeight { get; init; } = 100;

    /// <summary>Outbound peers per node (Bitcoin Core: 8); links are undirected.</summary>
    public int OutDegree { get; init; } = 8;

    /// <summary>At most this many links per node (Bitcoin Core: 125).</summary>
    public int MaxPeers { get; init; } = 125;

    /// <summary>Fully connected peer graph (small test topologies).</summary>
    public bool FullMesh { get; init; }

    /// <summary>Header bytes of a block (Bitcoin: 80); the rest is transactions.</summary>
    public int HeaderBytes { get; init; } = 80;

    /// <summary>Upper bound on block size (SimBlock 2019: 535,000 bytes).</summary>
    public int MaxBlockBytes { get; init; } = 535_000;

    /// <summary>
    /// Time for a transaction to reach every miner from the node its client submitted it to (see
    /// <see cref="TxPool"/>: relay of transactions is modelled as this one delay, not simulated message
    /// by message). Default 10 s: about four hops of Bitcoin Core's trickle, whose per-peer announcement
    /// delays are Poisson with means 2 s (outbound) and 5 s (inbound) (<c>net_processing.cpp</c>,
    /// <c>OUTBOUND_/INBOUND_INVENTORY_BROADCAST_INTERVAL</c>).
    /// </summary>
    public Duration TxRelayDelay { get; init; } = Duration.FromSeconds(10);

    /// <summary>When true, every block is <see cref="MaxBlockBytes"/> whatever the mempool holds
    /// (SimBlock's fixed block size); the transactions still come from the mempool.</summary>
    public bool FixedBlockSize { get; init; }

    /// <summary>Block reward in satoshi (Bitcoin 2016–2020: 12.5 BTC).</summary>
    public long BlockRewardSat { get; init; } = 1_250_000_000;

    /// <summary>Fee per transaction in satoshi.</summary>
    public long FeePerTxSat { get; init; } = 5_000;

    /// <summary>How blocks travel: the lab's Bitcoin Core model (default) or SimBlock's rules
    /// (<see cref="SimBlock"/>; its own peer degrees, compact blocks and upload rule, and the options
    /// <see cref="OutDegree"/>, <see cref="MaxPeers"/>, <see cref="CompactBlocks"/>,
    /// <see cref="CompactMissRate"/>, <see cref="SerialUpload"/> and <see cref="BlockValidation"/> do not apply).</summary>
    public PowRelay Relay { get; init; } = PowRelay.Core;

    /// <summary>SimBlock's constants, for <see cref="PowRelay.SimBlock"/>.</summary>
    public SimBlockRules SimBlock { get; init; } = SimBlockRules.Current;

    /// <summary>Compact block relay (BIP 152): header + 6-byte short ids instead of the full block.</summary>
    public bool CompactBlocks { get; init; }

    /// <summary>Chance that a compact block cannot be rebuilt from the mempool; the node then fetches the full block.</summary>
    public double CompactMissRate { get; init; } = 0.1;

    /// <summary>A node uploads one block at a time (SimBlock's model of a node's uplink); requests queue.</summary>
    public bool SerialUpload { get; init; } = true;

    /// <summary>CPU to validate a block, before relaying it (SimBlock: 2 ms processing per block).</summary>
    public Duration BlockValidation { get; init; } = Duration.FromMillis(2);

    /// <summary>CPU to validate one transaction of a block.</summary>
    public Duration TxValidation { get; init; } = Duration.Zero;

    /// <summary>A block counts as final at a node when it is k deep in that node's chain (k = 6 in Bitcoin lore).</summary>
    public int ConfirmationDepth { get; init; } = 6;

    /// <summary>Honest tie-breaking between equal-work chains: probability of switching to the
    /// equal-work block that arrived later. 0 is Bitcoin's first-seen rule; 0.5 is uniform random
    /// tie-breaking (Eyal &amp; Sirer 2014 §5's fix). It is the γ of the selfish-mining analysis.</summary>
    public double TieSwitchProbability { get; init; }

    /// <summary>Re-request a block from another peer after this long without an answer.</summary>
    public Duration RequestTimeout { get; init; } = Duration.FromSeconds(30);

    /// <summary>Node whose chain defines the chain-level metrics (stale rate, rewards, attack outcomes) and who plays the merchant in a double spend.</summary>
    public int ObserverNode { get; init; } = 1;

    /// <summary>Record one arrival sample per (block, node) for the propagation CDF.</summary>
    public bool RecordArrivals { get; init; } = true;

    /// <summary>An attacking miner (node 0), or null.</summary>
    public PowAttack? Attack { get; init; }

    /// <summary>Checks the options for a network of <paramref name="nodes"/> nodes.</summary>
    public void Validate(int nodes)
    {
        if (nodes < 2) throw new ArgumentException("pow needs at least two nodes");
        if (Miners is { } m && (m < 1 || m > nodes)) throw new ArgumentException($"miners must be between 1 and {nodes}");
        if (TargetInterval.Nanos <= 0) throw new ArgumentException("target interval must be positive");
        if (RetargetWindow < 0) throw new ArgumentException("retarget window must be ≥ 0 (0 = off)");
        if (RetargetClamp < 1) throw new ArgumentException("retarget clamp must be ≥ 1");
        if (TargetHeight < 1) throw new ArgumentException("target height must be ≥ 1");
        if (OutDegree < 1 && !FullMesh) throw new ArgumentException("out-degree must be ≥ 1");
        if (MaxBlockBytes < HeaderBytes) throw new ArgumentException("max block size must hold at least the header");
        if (TxRelayDelay.IsNegative) throw new ArgumentException("transaction relay delay cannot be negative");
        if (CompactMissRate is < 0 or > 1) throw new ArgumentException("compact miss rate must be a probability");
        if (TieSwitchProbability is < 0 or > 1) throw new ArgumentException("tie switch probability must be in [0, 1]");
        if (ConfirmationDepth < 1) throw new ArgumentException("confirmation depth k must be ≥ 1");
        if (ObserverNode < 0 || ObserverNode >= nodes) throw new ArgumentException($"observer node must be a node index below {nodes}");
        if (RegionShares is { } w && (w.Any(x => x < 0) || w.Sum() <= 0)) throw new ArgumentException("region shares must be ≥ 0 and not all zero");
        SimBlock.Validate();
        if (Relay == PowRelay.SimBlock && (Attack is not null || TieSwitchProbability > 0))
            throw new ArgumentException("SimBlock's relay has no attackers and keeps the first block seen (tie switch 0)");
        if (Attack is { } a)
        {
            if (a.HashShare is <= 0 or >= 1) throw new ArgumentException("attacker hash share must be in (0, 1)");
            if (ObserverNode == 0) throw new ArgumentException("the observer (merchant) cannot be the attacker, node 0");
            if (a is DoubleSpendAttack d && d.GiveUpBehind < ConfirmationDepth)
                throw new ArgumentException("double-spend give-up deficit must be ≥ the confirmation depth k");
        }
    }
}

/// <summary>From <see cref="At"/> on, every miner's hash rate is multiplied by <see cref="Factor"/> (relative to the start).</summary>
public sealed record HashRateStep(SimTime At, double Factor);

/// <summary>An attacking miner: node 0, with <see cref="HashShare"/> of the total hash power.</summary>
public abstract record PowAttack
{
    public double HashShare { get; init; } = 0.25;
}

/// <summary>Selfish mining (Eyal &amp; Sirer 2014, Algorithm 1). Its γ is <see cref="PowOptions.TieSwitchProbability"/>.</summary>
public sealed record SelfishMiningAttack : PowAttack;

/// <summary>
/// Double spend against the observer node (the merchant): the attacker pre-mines one block holding a
/// conflicting transaction, then pays the merchant; it keeps its branch private and publishes it once
/// it is longer than the honest branch and the merchant has seen k confirmations
/// (Rosenfeld 2014's setting). It gives up when <see cref="GiveUpBehind"/> blocks behind.
/// </summary>
public sealed record DoubleSpendAttack : PowAttack
{
    public int GiveUpBehind { get; init; } = 20;
}
