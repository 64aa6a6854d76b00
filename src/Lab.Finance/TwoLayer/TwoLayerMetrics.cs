namespace Lab.Finance.TwoLayer;

/// <summary>The metrics of a two-layer run (issue 14 §4), one definition each. <c>&lt;chain&gt;</c> is a chain's name.</summary>
public static class TwoLayerMetrics
{
    public const string AnchorDelay = "anchor_delay_s";
    public const string Staleness = "regulator_staleness_s";
    public const string AnchorByteShare = "anchor_byte_share";
    public const string AnchorByteShareOf = "anchor_byte_share.";
    public const string AnchorTxShare = "anchor_tx_share.";
    public const string ChainTxSeries = "chain_tx_";
    public const string ChainTx = "chain_tx.";
    public const string ChainBytes = "chain_tx_bytes.";
    public const string AnchorTx = "anchor_tx.";
    public const string AnchorBytes = "anchor_bytes.";
    public const string FeedBytes = "feed_bytes.";
    public const string FeedByteShare = "feed_byte_share.";
    public const string Unanchored = "unanchored_blocks.";
    public const string AnchorDelayP50 = "anchor_delay_p50_s.";
    public const string AnchorDelayP99 = "anchor_delay_p99_s.";
    public const string StalenessP50 = "regulator_staleness_p50_s.";
    public const string StalenessP99 = "regulator_staleness_p99_s.";
    public const string ChainSafety = "chain_safety_violations.";
    public const string Queries = "regulator_queries";
    public const string Exposure = "regulator_exposure_max";
    public const string ProofsVerified = "anchor_proofs_verified";
    public const string ProofsFailed = "anchor_proofs_failed";
    public const string TamperDetected = "anchor_tamper_detected";
    public const string BusinessChains = "business_chains";
    public const string AnchorEvery = "anchor_every_s";
    public const string ViewDelay = "regulator_view_delay_s";
    public const string StaleShare = "regulator_stale_share";
    public const string StalenessMax = "regulator_staleness_max_s";
    public const string MarketTrades = "market_trades";

    /// <summary>A per-chain value: a family prefix (ending in a dot) and the chain's name.</summary>
    public static string Of(string family, string chain) => family + chain;

    public static readonly IReadOnlyList<(string Name, string Description)> Descriptions =
    [
        (AnchorDelay, "two-layer: per business block, from its commit at the chain's feed replica to the anchor covering it being final on the regulator chain, seconds"),
        (Staleness, "two-layer: per regulator query and business chain, how far behind the chain the regulator's view was (query time minus the commit time of the first block it lacked; 0 if it lacked none), seconds; series: the largest per bin"),
        (AnchorByteShare, "two-layer: anchor transaction bytes on the regulator chain as a share of the business transaction bytes they cover, all chains"),
        (Of(AnchorByteShareOf, "<chain>"), "two-layer: anchor bytes as a share of that business chain's transaction bytes"),
        (Of(AnchorTxShare, "<chain>"), "two-layer: anchor transactions per business transaction of that chain"),
        (ChainTxSeries + "<chain>", "two-layer: transactions committed on that chain per series bin (its throughput over time; the regulator chain's are its anchors)"),
        (Of(ChainTx, "<chain>"), "two-layer: transactions committed on that chain"),
        (Of(ChainBytes, "<chain>"), "two-layer: bytes of the transactions committed on that business chain"),
        (Of(AnchorTx, "<chain>"), "two-layer: anchors of that business chain final on the regulator chain"),
        (Of(AnchorBytes, "<chain>"), "two-layer: bytes of those anchor transactions"),
        (Of(FeedBytes, "<chain>"), "two-layer: bytes the chain's feed replica sent to its readers (anchorer and regulator view)"),
        (Of(FeedByteShare, "<chain>"), "two-layer: feed bytes as a share of the bytes the chain needs to copy its blocks to its other replicas once (a lower bound of its own traffic)"),
        (Of(Unanchored, "<chain>"), "two-layer: blocks committed on that business chain and not covered by a final anchor at the end"),
        (Of(AnchorDelayP50, "<chain>"), "two-layer: median anchoring delay of that business chain, seconds"),
        (Of(AnchorDelayP99, "<chain>"), "two-layer: 99th percentile anchoring delay of that business chain, seconds"),
        (Of(StalenessP50, "<chain>"), "two-layer: median staleness of the regulator's view of that chain, seconds"),
        (Of(StalenessP99, "<chain>"), "two-layer: 99th percentile staleness of the regulator's view of that chain, seconds"),
        (Of(ChainSafety, "<chain>"), "two-layer: agreement and validity violations found on that chain by its own checkers"),
        (Queries, "two-layer: cross-chain queries the regulator ran"),
        (Exposure, "two-layer: the last query's answer, the largest member's total exposure over all chains, in currency units"),
        (ProofsVerified, "two-layer: Merkle inclusion proofs of business transactions that verified against the anchored root read from the regulator chain (one per anchor)"),
        (ProofsFailed, "two-layer: proofs that did not verify (a safety violation)"),
        (TamperDetected, "two-layer: altered copies of those transactions whose proof failed, as it must"),
        (BusinessChains, "two-layer: business chains in the run"),
        (AnchorEvery, "two-layer: the anchoring interval of the first business chain, seconds"),
        (ViewDelay, "two-layer: per business block, from its commit at the chain's feed replica to its arrival at the regulator's read replica, seconds"),
        (StaleShare, "two-layer: share of (query, chain) pairs where the regulator's view lacked a block already committed"),
        (StalenessMax, "two-layer: the largest staleness of any query on any chain, seconds"),
        (MarketTrades, "two-layer: trades on the market's tape (each recorded on exactly one business chain)"),
    ];
}
