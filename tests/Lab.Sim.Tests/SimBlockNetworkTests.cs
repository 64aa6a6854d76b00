using Lab.Sim.Distributions;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using static Lab.Sim.Tests.World;

namespace Lab.Sim.Tests;

/// <summary><c>network.model: simblock</c>: SimBlock's Pareto delays, no kernel bandwidth charge.</summary>
public class SimBlockNetworkTests
{
    private static NetworkSpec TwoRegions() => new()
    {
        Rules = NetworkRules.SimBlock,
        Regions = ["na", "eu"],
        BaseLatency = [[Ms(32), Ms(124)], [Ms(124), Ms(11)]],
        Upload = [Bandwidth.Mbps(19.2), Bandwidth.Mbps(20.7)],
        Download = [Bandwidth.Mbps(52), Bandwidth.Mbps(40)],
        Fifo = false,
    };

    private static double[] Delays(int fromRegion, int toRegion, int count)
    {
        var (sim, probes) = Of(2, TwoRegions(), (i, p) =>
        {
            if (i == 0) for (int k = 0; k < count; k++) { var at = Duration.FromSeconds(10 * k); p.Script.Add((at, ctx => ctx.Send(new NodeId(1), at, 100))); }
        }, endSeconds: 10 * count + 100, regions: [fromRegion, toRegion]);
        sim.Run();
        return probes[1][0].Received.Select(r => (r.At - (SimTime.Zero + (Duration)r.Message)).TotalMilliseconds).ToArray();
    }

    [Theory]
    [InlineData(0, 0, 32)]
    [InlineData(1, 1, 11)]
    [InlineData(0, 1, 124)]
    public void Delays_are_whole_milliseconds_drawn_from_simblocks_pareto_around_the_mean(int from, int to, double meanMs)
    {
        var delays = Delays(from, to, 2000);
        Assert.All(delays, d => Assert.Equal(Math.Round(d), d));
        Assert.Equal(meanMs - 5, delays.Min());
        // SimBlock: round(scale / U^(1/shape)), scale = mean − 5, shape = 0.2·mean, so
        // P(delay ≤ k) = P(X < k + 0.5) = 1 − (scale / (k + 0.5))^shape. KS at α = 0.01 (conservative for a discrete law).
        double scale = meanMs - 5, shape = 0.2 * meanMs;
        double Cdf(double k) => k + 0.5 <= scale ? 0 : 1 - Math.Pow(scale / (k + 0.5), shape);
        var sorted = delays.Order().ToArray();
        double d = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            // Evaluate the empirical CDF after the last of a run of equal values.
            if (i + 1 < sorted.Length && sorted[i + 1] == sorted[i]) continue;
            d = Math.Max(d, Math.Abs(Cdf(sorted[i]) - (double)(i + 1) / sorted.Length));
        }
        Assert.True(Math.Sqrt(sorted.Length) * d < 1.628, $"KS √n·D = {Math.Sqrt(sorted.Length) * d:F3}");
        // The Pareto keeps SimBlock's mean (shape·scale/(shape − 1) = mean); the tail makes the sample mean noisy.
        Assert.InRange(delays.Average(), meanMs * 0.9, meanMs * 1.1);
    }

    [Fact]
    public void The_kernel_charges_no_bandwidth_and_the_lookahead_is_the_smallest_pareto_scale()
    {
        var (sim, probes) = Of(2, TwoRegions(), (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => { for (int k = 0; k < 10; k++) ctx.Send(new NodeId(1), k, 1_000_000); }));
        }, regions: [1, 1]);
        Assert.Equal(Ms(6), sim.Lookahead);
        var r = sim.Run();
        // Ten 1 MB messages at 20.7 Mbit/s would take almost 4 s under the NIC rules; here only latency applies.
        Assert.All(probes[1][0].Received, x => Assert.True(x.At < T(1)));
        Assert.Empty(r.Stats.Nic);
    }

    [Fact]
    public void An_uncharged_send_leaves_after_its_delay_and_tells_the_sender_when_it_arrives()
    {
        var promised = new List<SimTime?>();
        var (sim, probes) = Of(2, TwoRegions(), (i, p) =>
        {
            if (i == 0) p.Script.Add((Ms(100), ctx => promised.Add(ctx.SendUncharged(new NodeId(1), "block", 535_000, Ms(250)))));
        }, regions: [0, 1]);
        sim.Run();
        var got = probes[1][0].Received.Single();
        Assert.Equal(promised.Single(), got.At);
        Assert.True(got.At >= T(0.35) + Ms(119), $"leaves at 350 ms, then at least 124 − 5 ms: {got.At}");
    }

    [Fact]
    public void An_uncharged_send_under_the_nic_rules_skips_both_nics()
    {
        var net = new NetworkSpec { BaseLatency = [[Ms(10)]], Upload = [Bandwidth.Mbps(1)], Download = [Bandwidth.Mbps(1)], Fifo = false }; // FIFO would hold it behind the first
        SimTime? promised = null;
        var (sim, probes) = Of(2, net, (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => { ctx.Send(new NodeId(1), "charged", 1_000_000); promised = ctx.SendUncharged(new NodeId(1), "free", 1_000_000, Ms(5)); }));
        });
        sim.Run();
        Assert.Equal(T(0.015), promised);
        Assert.Equal(("free", T(0.015)), (probes[1][0].Received[0].Message, probes[1][0].Received[0].At));
        Assert.Equal(T(8) + Ms(10), probes[1][0].Received[1].At);
    }

    [Fact]
    public void Transfer_rate_is_the_senders_upload_or_the_receivers_download_whichever_is_less()
    {
        var spec = TwoRegions();
        Assert.Equal(Bandwidth.Mbps(19.2), spec.TransferRate(0, 1));
        Assert.Equal(Bandwidth.Mbps(20.7), spec.TransferRate(1, 0));
        Assert.Equal(Bandwidth.Unlimited, new NetworkSpec().TransferRate(0, 0));
    }

    [Fact]
    public void The_simblock_rules_refuse_jitter_a_link_cap_and_means_of_five_ms_or_less()
    {
        Assert.Contains("jitter", Assert.Throws<ArgumentException>(() => (TwoRegions() with { Jitter = new Exponential(0.005) }).Validate()).Message);
        Assert.Contains("per-link cap", Assert.Throws<ArgumentException>(() => (TwoRegions() with { InterRegionLimit = Bandwidth.Mbps(6) }).Validate()).Message);
        Assert.Contains("above", Assert.Throws<ArgumentException>(() => new NetworkSpec { Rules = NetworkRules.SimBlock, BaseLatency = [[Ms(5)]] }.Validate()).Message);
    }
}
