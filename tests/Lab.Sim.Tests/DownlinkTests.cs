using Lab.Sim.Network;
using Lab.Sim.Randomness;
using Lab.Sim.Time;

namespace Lab.Sim.Tests;

public class DownlinkTests
{
    /// <summary>
    /// The same fluid rule, stepped in 1 µs slices: in each slice, messages in order of first-bit
    /// arrival take what they have received and not yet been served, up to what capacity is left.
    /// </summary>
    private static double[] SteppedCompletions(double bytesPerNs, IReadOnlyList<(long A, long B, int Size)> messages)
    {
        const long dt = 1_000;
        var served = new double[messages.Count];
        var done = Enumerable.Repeat(double.NaN, messages.Count).ToArray();
        for (long t = 0; done.Any(double.IsNaN); t += dt)
        {
            var left = bytesPerNs * dt;
            for (int i = 0; i < messages.Count; i++)
            {
                if (!double.IsNaN(done[i])) continue;
                var (a, b, size) = messages[i];
                var arrived = t + dt >= b ? size : t + dt <= a ? 0 : size * (double)(t + dt - a) / (b - a);
                var take = Math.Min(arrived - served[i], left);
                if (take <= 0) continue;
                served[i] += take;
                left -= take;
                if (served[i] >= size - 1e-6) done[i] = t + dt;
            }
        }
        return done;
    }

    [Fact]
    public void Completions_match_a_time_stepped_fluid_of_the_same_rule_for_random_traffic()
    {
        var rng = new SimRandom(42);
        for (int round = 0; round < 20; round++)
        {
            var capacity = Bandwidth.Mbps(10 + rng.Next(90));
            var messages = new List<(long A, long B, int Size)>();
            long a = 0;
            for (int k = 0; k < 12; k++)
            {
                a += rng.Next(400_000);                      // first bits up to 0.4 ms apart
                var size = 200 + rng.Next(5_000);
                var senderMbps = 5 + rng.Next(300);          // slower and faster than the downlink
                var b = a + (long)Math.Ceiling(size * 8e3 / senderMbps);
                messages.Add((a, b, size));
            }
            var downlink = new Downlink(capacity);
            var exact = messages.Select(m => downlink.Receive(new SimTime(m.A), new SimTime(m.B), m.Size).Nanos).ToArray();
            var stepped = SteppedCompletions(capacity.BitsPerSecond / 8e9, messages);
            for (int i = 0; i < messages.Count; i++)
            {
                Assert.True(exact[i] >= messages[i].B, "a message cannot be served before its last bit arrives");
                // The stepped fluid rounds each completion up to its 1 µs slice and lags by a slice per message ahead of it.
                Assert.InRange(exact[i], stepped[i] - 2_000 * (i + 1), stepped[i] + 1_000);
            }
        }
    }

    [Fact]
    public void An_idle_downlink_at_least_as_fast_as_the_sender_adds_nothing_and_a_slower_one_sets_the_pace()
    {
        var fast = new Downlink(Bandwidth.Mbps(100));
        Assert.Equal(new SimTime(80_000_000), fast.Receive(SimTime.Zero, new SimTime(80_000_000), 1_000_000)); // 1 MB sent at 100 Mbit/s
        var slow = new Downlink(Bandwidth.Mbps(10));
        Assert.Equal(new SimTime(800_000_000), slow.Receive(SimTime.Zero, new SimTime(80_000_000), 1_000_000));
        Assert.Equal(0, slow.Waits.Quantile(1));
    }

    [Fact]
    public void Utilisation_counts_what_was_served_inside_the_run_and_a_crash_stops_service()
    {
        static SimTime S(double s) => SimTime.Zero + Duration.FromSeconds(s);
        var d = new Downlink(Bandwidth.Mbps(8));   // 1 MB/s
        Assert.Equal(S(2), d.Receive(S(0), S(0), 2_000_000));
        Assert.Equal(1.0, d.Utilisation(S(0), 0, S(1)), 9);  // busy all of the first second
        Assert.Equal(0.5, d.Utilisation(S(0), 0, S(4)), 9);  // 2 s of 4
        d.Abandon(S(1));                            // crash: the second megabyte is never served
        Assert.Equal(0.25, d.Utilisation(S(0), 0, S(4)), 9);
        Assert.Equal(1_000_000, d.ServedBefore(S(1)), 3);
        Assert.Equal(0, d.Utilisation(S(1), d.ServedBefore(S(1)), S(4)), 9);  // nothing served after the crash
        Assert.Equal(S(3.5), d.Receive(S(3), S(3), 500_000)); // after a restart it is free again
    }
}
