using Lab.Experiments.Models;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Sim.Distributions;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Experiments.Network;

/// <summary>Builds the kernel's <see cref="NetworkSpec"/> from the <c>network.*</c> keys, checking that they fit together.</summary>
public static class NetworkBuilder
{
    public static NetworkSpec? Build(RunConfig c, Diagnostics problems)
    {
        var regions = c.GetOr<List<object>>("network.regions", ["default"]).Cast<string>().ToList();
        var ok = true;
        if (regions.Distinct().Count() != regions.Count)
        { problems.Error(c.MarkOf("network.regions"), "network.regions", "a region is listed twice"); ok = false; }

        var oneWay = c.GetOr<Duration[][]?>("network.one-way", null);
        var rtt = c.GetOr<Duration[][]?>("network.rtt", null);
        if (oneWay is not null && rtt is not null)
        { problems.Error(c.MarkOf("network.rtt"), "network.rtt", "give either network.one-way or network.rtt, not both"); ok = false; }
        var matrixKey = rtt is not null ? "network.rtt" : "network.one-way";
        var matrix = rtt is not null ? rtt.Select(r => r.Select(d => Duration.FromNanos(d.Nanos / 2)).ToArray()).ToArray() : oneWay;
        var latency = c.GetOr<Distribution?>("network.latency", null);
        if (matrix is not null)
        {
            if (matrix.Length != regions.Count)
            {
                problems.Error(c.MarkOf(matrixKey), matrixKey, $"the matrix has {matrix.Length} rows but there are {regions.Count} regions (network.regions: {string.Join(", ", regions)})");
                ok = false;
            }
            if (latency is not null)
            { problems.Error(c.MarkOf("network.latency"), "network.latency", $"network.latency is for networks without a matrix; with {matrixKey} use network.jitter"); ok = false; }
        }
        else if (regions.Count > 1 && latency is null)
        { problems.Error(c.MarkOf("network.regions"), "network.regions", "several regions need a latency matrix (network.one-way or network.rtt)"); ok = false; }

        Bandwidth[]? PerRegion(string key)
        {
            var all = c.GetOr<Bandwidth?>("network.bandwidth", null);
            var v = c.GetOr<RegionBandwidth?>(key, null);
            if (v is null) return all is { } a ? [.. regions.Select(_ => a)] : null;
            if (v.All is { } one) return [.. regions.Select(_ => one)];
            var result = regions.Select(_ => all ?? Bandwidth.Unlimited).ToArray();
            foreach (var (region, bw, mark) in v.ByRegion)
            {
                var i = regions.IndexOf(region);
                if (i < 0)
                {
                    var hint = Suggest.Closest(region, regions);
                    problems.Error(mark, key, $"unknown region '{region}'" + (hint is null ? $" (regions: {string.Join(", ", regions)})" : $"; did you mean '{hint}'?"));
                    ok = false;
                    continue;
                }
                result[i] = bw;
            }
            return result;
        }
        var upload = PerRegion("network.upload");
        var download = PerRegion("network.download");
        var rules = c.Text("network.model") == "simblock" ? NetworkRules.SimBlock : NetworkRules.Nic;
        if (rules == NetworkRules.SimBlock)
        {
            // SimBlock's rules (Network.getLatency, getBandwidth): a Pareto around each mean of the matrix, no cap.
            void Refuse(string key, string why)
            {
                if (!c.Has(key)) return;
                problems.Error(c.MarkOf(key), key, $"{key} does not apply with network.model: simblock ({why})");
                ok = false;
            }
            Refuse("network.latency", "it draws each delay around the means of network.one-way or network.rtt");
            Refuse("network.jitter", "it draws its own Pareto delay around the mean");
            Refuse("network.jitter-factor", "it draws its own Pareto delay around the mean");
            Refuse("network.inter-region", "SimBlock declares an inter-region limit but never applies it");
            if (matrix is null && latency is null)
            { problems.Error(c.MarkOf("network.model"), "network.model", "network.model: simblock needs mean latencies: network.one-way or network.rtt"); ok = false; }
            else if (matrix is not null && matrix.SelectMany(r => r).Any(d => d <= NetworkSpec.SimBlockLatencyFloor))
            {
                problems.Error(c.MarkOf(matrixKey), matrixKey, $"network.model: simblock needs every one-way mean above {NetworkSpec.SimBlockLatencyFloor} (its Pareto scale is mean − 5 ms)");
                ok = false;
            }
        }
        if (!ok) return null;

        return new NetworkSpec
        {
            Rules = rules,
            Regions = regions,
            BaseLatency = matrix ?? [[Duration.Zero]],
            Jitter = Combine(latency, c.GetOr<Distribution?>("network.jitter", null)),
            JitterFactor = c.GetOr<Distribution?>("network.jitter-factor", null),
            Upload = upload,
            Download = download,
            InterRegionLimit = c.GetOr<Bandwidth?>("network.inter-region", null),
            Loss = c.Number("network.loss"),
            Duplication = c.Number("network.duplication"),
            Fifo = c.Bool("network.fifo"),
        };
    }

    /// <summary>Latency without a matrix is drawn as the kernel's additive jitter; with a jitter too, both add.</summary>
    private static Distribution? Combine(Distribution? a, Distribution? b) =>
        a is null ? b : b is null ? a : new SumOf(a, b);

    /// <summary>The sum of two independent draws.</summary>
    private sealed record SumOf(Distribution A, Distribution B) : Distribution
    {
        public override double Sample(Sim.Randomness.SimRandom rng) => A.Sample(rng) + B.Sample(rng);
        public override double Minimum => A.Minimum + B.Minimum;
        public override double Mean => A.Mean + B.Mean;
        public override double Cdf(double x) => throw new NotSupportedException("the CDF of a sum is not needed");
    }
}
