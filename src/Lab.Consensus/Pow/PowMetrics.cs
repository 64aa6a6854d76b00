namespace Lab.Consensus.Pow;

/// <summary>
/// Proof of work's own metrics, beside the standard set (<c>StandardMetrics</c>), all under the
/// <c>pow_</c> prefix. Chain-level figures are read from the observer node's chain
/// (<see cref="PowOptions.ObserverNode"/>); propagation figures from every node's arrivals.
/// </summary>
public static class PowMetrics
{
    /// <summary>Blocks mined by anyone (counter and scalar).</summary>
    public const string BlocksMined = "pow_blocks_mined";
    /// <summary>Height of the observer's chain at the end (scalar).</summary>
    public const string BlocksMainChain = "pow_blocks_main_chain";
    /// <summary>Mined blocks that are not on the observer's chain (scalar).</summary>
    public const string StaleBlocks = "pow_stale_blocks";
    /// <summary>Stale blocks ÷ blocks mined (scalar).</summary>
    public const string StaleRate = "pow_stale_rate";
    /// <summary>Blocks that reached at least one other node (scalar).</summary>
    public const string BlocksPropagated = "pow_blocks_propagated";
    /// <summary>Time between consecutive blocks of the observer's chain (samples, seconds).</summary>
    public const string BlockInterval = "pow_block_interval_s";
    /// <summary>Mean of <see cref="BlockInterval"/> (scalar, seconds).</summary>
    public const string MeanBlockInterval = "pow_mean_block_interval_s";
    /// <summary>Transactions on the observer's chain per second of chain time (scalar): what blocks carry,
    /// final or not; the standard <c>throughput_tps</c> counts what clients saw final.</summary>
    public const string ChainTps = "pow_chain_tps";
    /// <summary>Transactions per second the observer's chain's blocks could carry: their payload bytes per second of
    /// chain time ÷ the mean size of the clients' transactions (scalar). With fixed-size blocks, what a saturated
    /// network would confirm, however few transactions the run's clients sent.</summary>
    public const string CapacityTps = "pow_capacity_tps";
    /// <summary>Difficulty of the observer's tip, relative to the start (scalar).</summary>
    public const string FinalDifficulty = "pow_final_difficulty";
    /// <summary>Per block: time from mining until half of all nodes have it (samples, seconds; percentiles as scalars).</summary>
    public const string BlockReach50 = "pow_block_reach_50_s";
    /// <summary>Per block: time from mining until 90% of all nodes have it (samples, seconds; percentiles as scalars).</summary>
    public const string BlockReach90 = "pow_block_reach_90_s";
    /// <summary>Every (main-chain block, node) arrival delay, the miner's own excluded: SimBlock's propagation
    /// statistic (samples, thinned beyond 200,000; its exact percentiles as scalars).</summary>
    public const string BlockArrival = "pow_block_arrival_s";
    /// <summary>Block mined → k blocks deep on the observer's chain (samples, seconds).</summary>
    public const string ConfirmationLatency = "pow_confirmation_latency_s";
    /// <summary>Reorganisations, at any node (counter).</summary>
    public const string Reorgs = "pow_reorgs";
    /// <summary>Blocks a reorganisation disconnected (samples).</summary>
    public const string ReorgDepth = "pow_reorg_depth_blocks";
    /// <summary>Blocks that were k deep on an honest node and were disconnected later (counter): a safety
    /// violation unless the run has an attacker, whose measured result it then is.</summary>
    public const string FinalBlocksReverted = "pow_final_blocks_reverted";
    /// <summary>Transactions a reorganisation returned to the mempool (counter, at the observer).</summary>
    public const string TxReturnedToMempool = "pow_txs_returned_to_mempool";
    /// <summary>Transactions a reorganisation left unconfirmed (counter, at the observer).</summary>
    public const string TxUnconfirmedByReorg = "pow_txs_unconfirmed_by_reorg";
    /// <summary>Blocks received that the node already had (counter).</summary>
    public const string DuplicateBlocks = "pow_duplicate_blocks_received";
    /// <summary>Compact blocks the receiver could not rebuild (counter).</summary>
    public const string CompactBlockMisses = "pow_compact_block_misses";
    /// <summary>Each miner's share of the hash power (samples).</summary>
    public const string MinerHashShare = "pow_miner_hash_share";
    /// <summary>Each miner's share of the rewards on the observer's chain (samples).</summary>
    public const string MinerRewardShare = "pow_miner_reward_share";
    /// <summary>Rewards and fees on the observer's chain, in BTC (scalar).</summary>
    public const string MinerRewardTotal = "pow_miner_reward_total_btc";
    /// <summary>The attacker's hash share (scalar).</summary>
    public const string AttackerHashShare = "pow_attacker_hash_share";
    /// <summary>The attacker's share of rewards on the observer's chain (scalar).</summary>
    public const string AttackerRewardShare = "pow_attacker_reward_share";
    /// <summary>The attacker's share of the observer's chain's blocks: Eyal &amp; Sirer's relative revenue (scalar).</summary>
    public const string AttackerBlockShare = "pow_attacker_block_share";
    /// <summary>Double spends that reversed a delivered payment ÷ attempts (scalar).</summary>
    public const string AttackerSuccessRate = "pow_attacker_success_rate";
    /// <summary>Double-spend attempts that ended, published or abandoned (counter and scalar).</summary>
    public const string DoubleSpendAttempts = "pow_double_spend_attempts";
    /// <summary>Double-spend attempts begun: a pre-mined block and a payment (counter).</summary>
    public const string DoubleSpendAttemptsStarted = "pow_double_spend_attempts_started";
    /// <summary>Payments the merchant delivered after k confirmations and then saw reversed (counter).</summary>
    public const string DoubleSpendSuccesses = "pow_double_spend_successes";
    /// <summary>Attempts whose private branch the attacker published (counter).</summary>
    public const string DoubleSpendPublished = "pow_double_spend_published";
    /// <summary>Attempts given up (counter).</summary>
    public const string DoubleSpendAbandoned = "pow_double_spend_abandoned";
    /// <summary>Payments the merchant delivered (counter).</summary>
    public const string PaymentsAccepted = "pow_payments_accepted";
    /// <summary>Blocks the selfish pool withheld when found (counter).</summary>
    public const string SelfishBlocksWithheld = "pow_selfish_blocks_withheld";
    /// <summary>Times the selfish pool published part of its branch (counter).</summary>
    public const string SelfishPublications = "pow_selfish_publications";
    /// <summary>Finding: a payment reversed by the attacker's branch.</summary>
    public const string DoubleSpendFinding = "double-spend";
    /// <summary>Finding: a final block reverted while an attacker runs (the attack's result, not a failed run).</summary>
    public const string FinalityReversedFinding = "finality-reversed";
}
