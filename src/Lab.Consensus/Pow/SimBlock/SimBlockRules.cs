using Lab.Sim.Time;

namespace Lab.Consensus.Pow.SimBlock;

/// <summary>
/// SimBlock's node rules and constants, as its source states them (dsg-titech/simblock, master at
/// 5fc7f9f, 2024-06-25, six commits after tag v0.8.1; paths below are under <c>simulator/src/main/java/simblock/</c>).
/// The single-precision constants stay <c>float</c> so that the arithmetic SimBlock does with them
/// (<c>int × float</c> node counts, <c>long × float</c> block sizes, <c>double &gt; float</c> draws)
/// gives the same numbers here.
/// </summary>
public sealed record SimBlockRules
{
    /// <summary><c>node/Node.java</c> <c>processingTime = 2</c> (ms): added to the delay of every block,
    /// compact block or re-fetch a node uploads; the receiver gets it, and the sender's upload is
    /// free again, only then.</summary>
    public Duration Processing { get; init; } = Duration.FromMillis(2);

    /// <summary><c>task/AbstractMessageTask.java</c> <c>getInterval()</c>: latency + 10 ms for every message
    /// that does not carry a block (inv, the block request <c>RecMessageTask</c>, <c>GetBlockTxnMessageTask</c>).
    /// SimBlock's comment there reads "Add 10 milliseconds here, why?".</summary>
    public Duration ControlMessageDelay { get; init; } = Duration.FromMillis(10);

    /// <summary><c>settings/SimulationConfiguration.java</c> <c>CBR_USAGE_RATE = 0.964f</c>: share of nodes
    /// that speak compact block relay; a block goes compact only between two of them. 0 reproduces
    /// SimBlock before compact block relay (commit b61ab05, 2020-08-22; v0.8.0 and earlier).</summary>
    public float CbrUsageRate { get; init; } = 0.964f;

    /// <summary><c>CHURN_NODE_RATE = 0.976f</c>: share of "churn" nodes, which fail compact block
    /// reconstruction more often (Imtiaz et al., "Churn in the Bitcoin network", IEEE TNSM 2021: about 97%
    /// of nodes connect intermittently).</summary>
    public float ChurnNodeRate { get; init; } = 0.976f;

    /// <summary><c>COMPACT_BLOCK_SIZE = 18 * 1000</c> bytes, whatever the block holds.</summary>
    public int CompactBlockBytes { get; init; } = 18_000;

    /// <summary><c>CBR_FAILURE_RATE_FOR_CONTROL_NODE = 0.13f</c>: chance that a node which is not a churn
    /// node cannot rebuild a compact block (chosen by the receiver's kind, <c>Node.receiveMessage</c>).</summary>
    public float CbrFailureRateControl { get; init; } = 0.13f;

    /// <summary><c>CBR_FAILURE_RATE_FOR_CHURN_NODE = 0.27f</c>.</summary>
    public float CbrFailureRateChurn { get; init; } = 0.27f;

    /// <summary>
    /// <c>CBR_FAILURE_BLOCK_SIZE_DISTRIBUTION_FOR_CONTROL_NODE</c>: fractions of the block a failed
    /// compact block re-fetches, drawn uniformly by index (210 entries, every one 0.01).
    /// </summary>
    public static IReadOnlyList<float> RefetchFractionsControl { get; } = Expand([210]);

    /// <summary>
    /// <c>CBR_FAILURE_BLOCK_SIZE_DISTRIBUTION_FOR_CHURN_NODE</c> (945 entries): 0.01 × 546, 0.02 × 66,
    /// … up to 0.96 × 1 — entry <c>i</c> of <see cref="ChurnRefetchCounts"/> counts the value (i + 1) / 100.
    /// </summary>
    public static IReadOnlyList<float> RefetchFractionsChurn { get; } = Expand(ChurnRefetchCounts);

    /// <summary>How many times each fraction 0.01, 0.02, … 0.96 occurs in SimBlock's churn-node table (run lengths of the array).</summary>
    public static int[] ChurnRefetchCounts =>
    [
        546, 66, 39, 27, 21, 17, 14, 12, 11, 10, 9, 8, 7, 7, 6, 6, 5, 5, 5, 4, 4, 4, 4, 4,
        3, 3, 3, 3, 3, 3, 3, 3,
        2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ];

    /// <summary>
    /// <c>settings/NetworkConfiguration.java</c> <c>DEGREE_DISTRIBUTION_BITCOIN_2015</c>: cumulative
    /// distribution of a node's outbound links, entry i for i + 1 links (1 to 20; mean 8.645). From
    /// Miller et al., "Discovering Bitcoin's public topology and influential nodes", 2015.
    /// </summary>
    public static IReadOnlyList<double> OutboundDegreeCdfBitcoin2015 { get; } =
        [0.025, 0.050, 0.075, 0.10, 0.20, 0.30, 0.40, 0.50, 0.60, 0.70, 0.80, 0.85, 0.90, 0.95, 0.97, 0.97, 0.98, 0.99, 0.995, 1.0];

    /// <summary>
    /// <c>NetworkConfiguration.java</c> <c>REGION_DISTRIBUTION_BITCOIN_2019</c>: share of nodes in North
    /// America, Europe, South America, Asia-Pacific, Japan, Australia.
    /// </summary>
    public static IReadOnlyList<double> RegionSharesBitcoin2019 { get; } = [0.3316, 0.4998, 0.0090, 0.1177, 0.0224, 0.0195];

    /// <summary>The rules of SimBlock's current version.</summary>
    public static SimBlockRules Current { get; } = new();

    private static float[] Expand(int[] counts)
    {
        var list = new List<float>();
        for (int i = 0; i < counts.Length; i++)
            for (int k = 0; k < counts[i]; k++) list.Add((i + 1) / 100f);
        return [.. list];
    }

    /// <summary>Checks what a scenario may change.</summary>
    public void Validate()
    {
        if (CbrUsageRate is < 0 or > 1) throw new ArgumentException("the SimBlock compact-block share must be in [0, 1]");
        if (ChurnNodeRate is < 0 or > 1) throw new ArgumentException("the SimBlock churn-node share must be in [0, 1]");
        if (CbrFailureRateControl is < 0 or > 1 || CbrFailureRateChurn is < 0 or > 1) throw new ArgumentException("compact block failure rates must be probabilities");
        if (CompactBlockBytes < 1) throw new ArgumentException("a compact block has at least one byte");
    }
}
