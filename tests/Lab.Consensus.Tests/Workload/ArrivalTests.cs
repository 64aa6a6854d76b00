using Lab.Consensus.Workload;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Consensus.Tests.Workload;

public class ArrivalTests
{
    private static List<double> Times(ArrivalProcess p, double untilSeconds, int client = 0, int clients = 1)
    {
        var source = p.CreateSource(client, clients);
        var rng = new SimRandom(42);
        var times = new List<double>();
        while (source.Next(rng) is { } a && a.At.Seconds < untilSeconds) times.Add(a.At.Seconds);
        return times;
    }

    [Fact]
    public void Constant_arrivals_are_evenly_spaced_and_clients_interleave()
    {
        var t0 = Times(new ConstantArrivals(100), 1, 0, 2);
        var t1 = Times(new ConstantArrivals(100), 1, 1, 2);
        Assert.Equal(50, t0.Count);
        Assert.Equal(0.02, t0[1] - t0[0], 9);
        Assert.Equal(0.01, t1[0], 9);
    }

    [Fact]
    public void Poisson_arrivals_have_the_requested_rate_and_exponential_gaps()
    {
        var t = Times(new PoissonArrivals(1000), 100);
        Assert.InRange(t.Count, 99_000, 101_000);
        var gaps = t.Zip(t.Skip(1), (a, b) => b - a).ToList();
        // Exponential: the share of gaps above the mean is e^-1.
        Assert.InRange(gaps.Count(g => g > 0.001) / (double)gaps.Count, 0.36, 0.38);
    }

    [Fact]
    public void Bursty_arrivals_follow_the_burst_rate_inside_bursts()
    {
        var p = new BurstyArrivals(100, 2000, Duration.FromSeconds(10), Duration.FromSeconds(1));
        var t = Times(p, 100);
        var inBursts = t.Count(x => x % 10 < 1);
        Assert.InRange(inBursts, 19_000, 21_000);
        Assert.InRange(t.Count - inBursts, 8_500, 9_500);
        Assert.Equal(290, p.MeanRatePerSecond, 6);
    }

    [Fact]
    public void A_trading_hours_profile_is_silent_overnight()
    {
        var t = Times(TimeOfDayArrivals.TradingHours(10), 86_400);
        Assert.DoesNotContain(t, x => x < 8 * 3600 || x >= 17 * 3600);
        Assert.Contains(t, x => x >= 9.5 * 3600 && x < 10 * 3600);
    }

    [Fact]
    public void A_csv_trace_is_replayed_exactly_and_dealt_to_clients_in_turn()
    {
        var trace = TraceArrivals.Parse("time,size,type\n0.5,100,payment\n1.25,2000,dvp\n2s,300,payment\n");
        var c0 = trace.CreateSource(0, 2);
        var c1 = trace.CreateSource(1, 2);
        var rng = new SimRandom(1);
        Assert.Equal(new Arrival(SimTime.Zero + Duration.FromSeconds(0.5), 100, "payment"), c0.Next(rng));
        Assert.Equal(new Arrival(SimTime.Zero + Duration.FromSeconds(2), 300, "payment"), c0.Next(rng));
        Assert.Null(c0.Next(rng));
        Assert.Equal(new Arrival(SimTime.Zero + Duration.FromSeconds(1.25), 2000, "dvp"), c1.Next(rng));
    }

    [Fact]
    public void A_malformed_trace_names_its_line()
    {
        var e = Assert.Throws<FormatException>(() => TraceArrivals.Parse("time,size,type\n1,100,a\n0.5,x,b", "t.csv"));
        Assert.StartsWith("t.csv:3:", e.Message);
    }
}
