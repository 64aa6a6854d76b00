using Lab.Sim.Distributions;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Pow;

/// <summary>
/// SimBlock's 2019 six-region Bitcoin network (dsg-titech/simblock,
/// <c>simulator/src/main/java/simblock/settings/NetworkConfiguration.java</c>: LATENCY_2019,
/// DOWNLOAD_BANDWIDTH_2019, UPLOAD_BANDWIDTH_2019, REGION_DISTRIBUTION_BITCOIN_2019).
/// </summary>
public static class SimBlockNetwork
{
    public static readonly IReadOnlyList<string> Regions =
        ["north-america", "europe", "south-america", "asia-pacific", "japan", "australia"];

    /// <summary>Mean one-way latency in ms, rows and columns NA, EU, SA, AP, JP, AU.</summary>
    public static readonly int[][] LatencyMs =
    [
        [32, 124, 184, 198, 151, 189],
        [124, 11, 227, 237, 252, 294],
        [184, 227, 88, 325, 301, 322],
        [198, 237, 325, 85, 58, 198],
        [151, 252, 301, 58, 12, 126],
        [189, 294, 322, 198, 126, 16],
    ];

    public static readonly double[] DownloadMbps = [52, 40, 18, 22.8, 22.8, 29.9];
    public static readonly double[] UploadMbps = [19.2, 20.7, 5.8, 15.7, 10.2, 11.3];
    public const double InterRegionMbps = 6;
    /// <summary>Share of Bitcoin nodes per region, 2019.</summary>
    public static readonly double[] NodeShare = [0.3316, 0.4998, 0.0090, 0.1177, 0.0224, 0.0195];

    /// <summary>
    /// The network spec. SimBlock draws each message's latency from a Pareto with scale mean − 5 ms
    /// and the matrix mean; here: base = mean − 5 ms plus an exponential jitter of mean 5 ms (same
    /// minimum and mean, a lighter tail).
    /// </summary>
    public static NetworkSpec Spec() => new()
    {
        Regions = Regions,
        BaseLatency = LatencyMs.Select(row => row.Select(ms => Duration.FromMillis(ms - 5)).ToArray()).ToArray(),
        Jitter = new Exponential(0.005),
        Upload = UploadMbps.Select(Bandwidth.Mbps).ToArray(),
        Download = DownloadMbps.Select(Bandwidth.Mbps).ToArray(),
        InterRegionLimit = Bandwidth.Mbps(InterRegionMbps),
    };

    /// <summary>pow-bitcoin: SimBlock's Bitcoin 2019 workload (6,000 nodes, 10-minute interval, 535 KB blocks, 100 blocks).</summary>
    public static PowOptions Bitcoin2019(int nodes = 6000, int blocks = 100) => new()
    {
        Nodes = nodes,
        TargetHeight = blocks,
        TargetInterval = Duration.FromMinutes(10),
        MaxBlockBytes = 535_000,
        FixedBlockSize = true,
        // SimBlock: mining power per node ~ normal(400,000, 100,000) (truncated at a small positive value).
        HashPower = new TruncatedNormal(400_000, 100_000),
        OutDegree = 8,
        RetargetWindow = 2016,
        TxPerSecond = 7,
        RecordArrivals = true,
    };
}
