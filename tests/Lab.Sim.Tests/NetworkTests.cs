using Lab.Sim.Distributions;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using static Lab.Sim.Tests.World;

namespace Lab.Sim.Tests;

public class NetworkTests
{
    private static double[] SampleDelays(Distribution jitter, int count, bool fifo = false)
    {
        var net = new NetworkSpec { Jitter = jitter, Fifo = fifo };
        var (sim, probes) = Of(2, net, (i, p) =>
        {
            // Node 0 sends one message every 10 s: far apart, so FIFO never reorders anything.
            if (i == 0) for (int k = 0; k < count; k++) { var at = Duration.FromSeconds(10 * k); p.Script.Add((at, ctx => ctx.Send(new NodeId(1), at, 100))); }
        }, endSeconds: 10 * count + 100);
        sim.Run();
        return probes[1][0].Received.Select(r => (r.At - (SimTime.Zero + (Duration)r.Message)).TotalSeconds).ToArray();
    }

    public static TheoryData<string> Jitters => new() { "uniform", "normal", "lognormal", "exponential", "pareto", "gamma", "empirical" };

    private static Distribution Make(string name) => name switch
    {
        "uniform" => new Uniform(0.005, 0.015),
        "normal" => new TruncatedNormal(0.020, 0.005),
        "lognormal" => new LogNormal(-4, 0.5),
        "exponential" => new Exponential(0.020),
        "pareto" => new Pareto(0.010, 3),
        "gamma" => new GammaDist(2, 0.010),
        "empirical" => new Empirical([(0.001, 0.0), (0.010, 0.5), (0.050, 0.9), (0.200, 1.0)]),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Jitters))]
    public void Sampled_link_delays_follow_the_configured_distribution(string name)
    {
        var dist = Make(name);
        var delays = SampleDelays(dist, 1500);
        Assert.Equal(1500, delays.Length);
        // Kolmogorov–Smirnov at α = 0.01: reject if √n·D exceeds 1.628 (asymptotic critical value).
        // Delays are floored to whole nanoseconds, far below any distribution's scale here.
        var sorted = delays.Order().ToArray();
        double d = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            var f = dist.Cdf(sorted[i]);
            d = Math.Max(d, Math.Max(f - (double)i / sorted.Length, (double)(i + 1) / sorted.Length - f));
        }
        Assert.True(Math.Sqrt(sorted.Length) * d < 1.628, $"{name}: KS statistic √n·D = {Math.Sqrt(sorted.Length) * d:F3} ≥ 1.628");
    }

    [Fact]
    public void Kolmogorov_Smirnov_check_rejects_a_wrong_distribution()
    {
        // The check above must be able to fail: exponential delays are not uniform(5 ms, 15 ms).
        var delays = SampleDelays(new Exponential(0.010), 1500).Order().ToArray();
        var wrong = new Uniform(0.005, 0.015);
        double d = 0;
        for (int i = 0; i < delays.Length; i++)
        {
            var f = wrong.Cdf(delays[i]);
            d = Math.Max(d, Math.Max(f - (double)i / delays.Length, (double)(i + 1) / delays.Length - f));
        }
        Assert.True(Math.Sqrt(delays.Length) * d > 1.628);
    }

    [Fact]
    public void Fifo_links_never_reorder_messages_even_with_heavy_jitter()
    {
        var net = new NetworkSpec { Jitter = new Exponential(0.050), Fifo = true };
        var (sim, probes) = Of(2, net, (i, p) =>
        {
            if (i == 0) p.Script.Add((Ms(1), ctx => { for (int k = 0; k < 500; k++) ctx.Send(new NodeId(1), k, 10); }));
        });
        sim.Run();
        var order = probes[1][0].Received.Select(r => (int)r.Message).ToList();
        Assert.Equal(Enumerable.Range(0, 500), order);
    }

    [Fact]
    public void Without_fifo_heavy_jitter_reorders_messages()
    {
        var net = new NetworkSpec { Jitter = new Exponential(0.050), Fifo = false };
        var (sim, probes) = Of(2, net, (i, p) =>
        {
            if (i == 0) p.Script.Add((Ms(1), ctx => { for (int k = 0; k < 500; k++) ctx.Send(new NodeId(1), k, 10); }));
        });
        sim.Run();
        var order = probes[1][0].Received.Select(r => (int)r.Message).ToList();
        Assert.Equal(500, order.Count);
        Assert.NotEqual(Enumerable.Range(0, 500), order);
    }

    [Fact]
    public void A_one_megabyte_block_occupies_a_ten_megabit_link_for_800_ms_and_the_next_queues_behind_it()
    {
        var net = new NetworkSpec
        {
            BaseLatency = [[Ms(50)]],
            Upload = [new Bandwidth(10e6)],
            Download = [new Bandwidth(100e6)],
        };
        var (sim, probes) = Of(2, net, (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => { ctx.Send(new NodeId(1), "block", 1_000_000); ctx.Send(new NodeId(1), "next", 1_000_000); }));
        });
        sim.Run();
        var got = probes[1][0].Received;
        Assert.Equal(T(0.8) + Ms(50), got[0].At);        // 8 Mbit / 10 Mbit/s + 50 ms propagation
        Assert.Equal(T(1.6) + Ms(50), got[1].At);        // queued behind the first on the same link
    }

    [Fact]
    public void Region_matrix_sets_one_way_latency_per_pair()
    {
        var net = new NetworkSpec
        {
            Regions = ["hk", "fra"],
            BaseLatency = [[Ms(1), Ms(95)], [Ms(95), Ms(1)]],
        };
        var (sim, probes) = Of(3, net, (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => { ctx.Send(new NodeId(1), "same", 10); ctx.Send(new NodeId(2), "far", 10); }));
        }, regions: [0, 0, 1]);
        Assert.Equal(Ms(1), sim.Lookahead);
        sim.Run();
        Assert.Equal(SimTime.Zero + Ms(1), probes[1][0].Received.Single().At);
        Assert.Equal(SimTime.Zero + Ms(95), probes[2][0].Received.Single().At);
    }

    [Fact]
    public void Loss_drops_about_the_configured_share_and_duplication_adds_copies()
    {
        var lossy = new NetworkSpec { BaseLatency = [[Ms(5)]], Loss = 0.2 };
        var (sim, probes) = Of(2, lossy, (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => { for (int k = 0; k < 5000; k++) ctx.Send(new NodeId(1), k, 10); }));
        });
        var r = sim.Run();
        var got = probes[1][0].Received.Count;
        Assert.InRange(got, 3850, 4150); // 4000 ± ~5σ (σ ≈ 28)
        Assert.Equal(5000 - got, r.Stats.MessagesDropped);

        var dup = new NetworkSpec { BaseLatency = [[Ms(5)]], Duplication = 0.1 };
        (sim, probes) = Of(2, dup, (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => { for (int k = 0; k < 5000; k++) ctx.Send(new NodeId(1), k, 10); }));
        });
        sim.Run();
        Assert.InRange(probes[1][0].Received.Count, 5380, 5620);
    }

    [Theory]
    [InlineData("250ms", 250_000_000L)]
    [InlineData("2s", 2_000_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("1d", 86_400_000_000_000L)]
    [InlineData("70us", 70_000L)]
    [InlineData("0", 0L)]
    public void Durations_parse_with_units(string text, long nanos) => Assert.Equal(nanos, Duration.Parse(text).Nanos);

    [Theory]
    [InlineData("250")]
    [InlineData("ms")]
    [InlineData("3 parsecs")]
    [InlineData("")]
    [InlineData("1e999s")]
    public void Bad_durations_are_refused_with_a_reason(string text)
    {
        Assert.False(Duration.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Durations_print_in_a_form_that_parses_back()
    {
        foreach (var d in new[] { Ms(250), Duration.FromSeconds(2), Duration.FromHours(1.5), Duration.FromDays(1), Duration.FromNanos(1234) })
            Assert.Equal(d, Duration.Parse(d.ToString()));
    }
}
