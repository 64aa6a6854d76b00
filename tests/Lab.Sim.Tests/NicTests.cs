using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using static Lab.Sim.Tests.World;

namespace Lab.Sim.Tests;

/// <summary>The per-node NIC: one uplink and one downlink per node, shared by all its transfers.</summary>
public class NicTests
{
    private static NetworkSpec Nic(double upMbps, double downMbps, double latencyMs = 50) => new()
    {
        BaseLatency = [[Ms(latencyMs)]],
        Upload = [Bandwidth.Mbps(upMbps)],
        Download = [Bandwidth.Mbps(downMbps)],
    };

    private static SimTime ArrivalAt(List<Probe>[] probes, int node) => probes[node][0].Received.Single().At;

    // 1 MB = 8 Mbit. At 100 Mbit/s a copy takes 8 / 100 = 0.08 s, so ten copies finish at 0.08, 0.16, ... 0.8 s;
    // the 0.8, 1.6, ... 8 s is the same 1 MB at 10 Mbit/s (8 / 10 = 0.8 s a copy), or 10 MB at 100 Mbit/s.
    [Theory]
    [InlineData(1_000_000, 100, 0.08)]
    [InlineData(1_000_000, 10, 0.8)]
    [InlineData(10_000_000, 100, 0.8)]
    public void A_multicast_to_ten_receivers_leaves_one_copy_after_another_the_kth_complete_after_k_transmission_times(int bytes, double mbps, double secondsPerCopy)
    {
        Assert.Equal(secondsPerCopy, bytes * 8 / (mbps * 1e6), 12);   // the arithmetic above, not the model
        var (sim, probes) = Of(11, Nic(mbps, mbps), (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => ctx.Multicast(Enumerable.Range(1, 10).Select(j => new NodeId(j)), "block", bytes)));
        }, endSeconds: 20);
        sim.Run();
        // Copy k leaves the uplink at k × secondsPerCopy; the receiver's idle downlink is as fast as the
        // uplink, so it adds nothing: the last bit arrives 50 ms later and the copy is complete.
        for (int k = 1; k <= 10; k++) Assert.Equal(T(secondsPerCopy * k) + Ms(50), ArrivalAt(probes, k));
    }

    [Fact]
    public void A_receiver_fed_by_two_senders_at_once_drains_at_its_download_rate()
    {
        // Two 100 Mbit/s senders each send five 1 MB messages at t = 0 to one 100 Mbit/s receiver:
        // together they offer 200 Mbit/s, the receiver takes 100, one message every 80 ms.
        var (sim, probes) = Of(3, Nic(100, 100, latencyMs: 10), (i, p) =>
        {
            if (i < 2) p.Script.Add((Duration.Zero, ctx => { for (int k = 0; k < 5; k++) ctx.Send(new NodeId(2), (i, k), 1_000_000); }));
        });
        sim.Run();
        var got = probes[2][0].Received;
        Assert.Equal(10, got.Count);
        for (int k = 0; k < 10; k++) Assert.Equal(T(0.08 * (k + 1)) + Ms(10), got[k].At);
        // The downlink takes messages in order of first-bit arrival: the senders alternate.
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], got.Select(g => (((int, int))g.Message).Item1));
    }

    [Fact]
    public void Ten_slow_senders_into_a_fast_downlink_all_finish_together()
    {
        // 10 senders at 10 Mbit/s, 1 MB each, into a 100 Mbit/s downlink: the downlink keeps up, so
        // every message takes its sender's 0.8 s (a per-message store-and-forward downlink would
        // finish them one after another).
        var net = new NetworkSpec { BaseLatency = [[Ms(5)]], Upload = [Bandwidth.Mbps(10)], Download = [Bandwidth.Mbps(100)] };
        var (sim, probes) = Of(11, net, (i, p) =>
        {
            if (i < 10) p.Script.Add((Duration.Zero, ctx => ctx.Send(new NodeId(10), i, 1_000_000)));
        });
        sim.Run();
        Assert.All(probes[10][0].Received, r => Assert.Equal(T(0.8) + Ms(5), r.At));
        Assert.Equal(10, probes[10][0].Received.Count);
    }

    [Fact]
    public void A_small_message_is_not_held_behind_a_large_one_that_a_slow_sender_is_still_sending()
    {
        var net = new NetworkSpec { BaseLatency = [[Ms(5)]], Upload = [Bandwidth.Mbps(10)], Download = [Bandwidth.Mbps(100)] };
        var (sim, probes) = Of(3, net, (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => ctx.Send(new NodeId(2), "large", 1_000_000)));
            if (i == 1) p.Script.Add((Ms(1), ctx => ctx.Send(new NodeId(2), "small", 1_000)));
        });
        sim.Run();
        var got = probes[2][0].Received;
        Assert.Equal("small", got[0].Message);
        Assert.Equal(T(0.001) + Duration.FromMicros(800) + Ms(5), got[0].At); // 8 kbit at 10 Mbit/s
        Assert.Equal(T(0.8) + Ms(5), got[1].At);
    }

    [Fact]
    public void A_slower_downlink_sets_the_pace_of_a_single_transfer()
    {
        var (sim, probes) = Of(2, Nic(100, 10), (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => { ctx.Send(new NodeId(1), "a", 1_000_000); ctx.Send(new NodeId(1), "b", 1_000_000); }));
        });
        sim.Run();
        var got = probes[1][0].Received;
        Assert.Equal(T(0.8) + Ms(50), got[0].At);   // first bit at 50 ms, then 0.8 s of downlink
        Assert.Equal(T(1.6) + Ms(50), got[1].At);
    }

    [Fact]
    public void A_per_link_cap_applies_on_top_of_the_nics_between_regions_only()
    {
        var net = new NetworkSpec
        {
            Regions = ["a", "b"],
            BaseLatency = [[Ms(5), Ms(5)], [Ms(5), Ms(5)]],
            Upload = [Bandwidth.Mbps(100), Bandwidth.Mbps(100)],
            Download = [Bandwidth.Mbps(100), Bandwidth.Mbps(100)],
            InterRegionLimit = Bandwidth.Mbps(10),
        };
        var (sim, probes) = Of(3, net, (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => { ctx.Send(new NodeId(2), "far", 1_000_000); ctx.Send(new NodeId(1), "near", 1_000_000); }));
        }, regions: [0, 0, 1]);
        sim.Run();
        Assert.Equal(T(0.8) + Ms(5), ArrivalAt(probes, 2));  // the 10 Mbit/s cap, not the NIC, limits it
        // The capped link does not hold the uplink: the second copy leaves after the first's 80 ms of NIC time.
        Assert.Equal(T(0.16) + Ms(5), ArrivalAt(probes, 1));
    }

    [Fact]
    public void A_message_dropped_by_a_cut_link_still_used_the_senders_uplink()
    {
        var faults = new[] { new ScheduledFault(SimTime.Zero, new Cut(NodeSelector.Named("n0", "n1"))) };
        var (sim, probes) = Of(3, Nic(10, 10, latencyMs: 10), (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => { ctx.Send(new NodeId(1), "lost", 1_000_000); ctx.Send(new NodeId(2), "kept", 1_000_000); }));
        }, faults: faults);
        var r = sim.Run();
        Assert.Empty(probes[1][0].Received);
        Assert.Equal(T(1.6) + Ms(10), ArrivalAt(probes, 2));
        Assert.Equal(1, r.Stats.MessagesDropped);
    }

    [Fact]
    public void A_crashed_sender_never_sends_what_was_still_queued_on_its_uplink()
    {
        // Ten 1 MB copies at 10 Mbit/s leave at 0.8, 1.6, ... s; a crash at 2 s loses the third
        // (half sent) and the seven behind it.
        var faults = new[] { new ScheduledFault(T(2), new Crash(NodeSelector.Named("n0"))) };
        var (sim, probes) = Of(11, Nic(10, 10, latencyMs: 10), (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => ctx.Multicast(Enumerable.Range(1, 10).Select(j => new NodeId(j)), "block", 1_000_000)));
        }, faults: faults, endSeconds: 20);
        var r = sim.Run();
        Assert.Equal(T(0.8) + Ms(10), ArrivalAt(probes, 1));
        Assert.Equal(T(1.6) + Ms(10), ArrivalAt(probes, 2));
        for (int k = 3; k <= 10; k++) Assert.Empty(probes[k][0].Received);
        Assert.Equal(8, r.Stats.MessagesDropped);
        Assert.Equal(10, r.Stats.MessagesSent);
        // The uplink was busy 2 s of the 20 s run: what it had not sent is not counted.
        Assert.Equal(0.1, r.Stats.Nic[0].UplinkUtilisation, 9);
    }

    [Fact]
    public void Uplink_utilisation_and_queue_percentile_are_reported_per_node_and_as_run_scalars()
    {
        var (sim, _) = Of(11, Nic(10, 100), (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => ctx.Multicast(Enumerable.Range(1, 10).Select(j => new NodeId(j)), "block", 1_000_000)));
        }, endSeconds: 10);
        var r = sim.Run();
        var leader = r.Stats.Nic[0];
        Assert.Equal(0.8, leader.UplinkUtilisation, 9);              // 8 s of sending in a 10 s run
        // Waits 0, 0.8, ..., 7.2 s; type-7 p99 = x[8] + 0.91·(x[9] − x[8]).
        Assert.Equal(6.4 + 0.91 * 0.8, leader.UplinkQueueP99Seconds, 9);
        Assert.Equal(0.008, r.Stats.Nic[1].DownlinkUtilisation, 9);  // 80 ms of a 100 Mbit/s downlink
        Assert.Equal(0, r.Stats.Nic[1].UplinkUtilisation);
        Assert.Equal(0.8, r.Metrics.Scalars[KernelMetrics.UplinkUtilisationMax], 9);
        Assert.Equal(6.4 + 0.91 * 0.8, r.Metrics.Scalars[KernelMetrics.UplinkQueueP99], 9);
        Assert.Equal(KernelMetrics.UplinkQueueP99, Quantile.Name("uplink_queue_s", 0.99));
        Assert.Equal(KernelMetrics.DownlinkQueueP99, Quantile.Name("downlink_queue_s", 0.99));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Cpu_and_nic_utilisation_are_measured_from_the_warm_up_on(double measureFrom)
    {
        // n0 sends ten 1 MB copies at 10 Mbit/s: its uplink is busy 0-8 s; copy k's bits reach nk over
        // [0.8(k-1) + 0.05, 0.8k + 0.05) s, and nk then works 1 s. Measured over [4, 10) s when the warm-up ends at 4 s.
        var (sim, _) = Of(11, Nic(10, 100), (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => ctx.Multicast(Enumerable.Range(1, 10).Select(j => new NodeId(j)), "block", 1_000_000)));
            else p.OnReceive = (ctx, _, _) => ctx.ChargeCpu(Duration.FromSeconds(1));
        }, endSeconds: 10, measureFrom: measureFrom);
        var r = sim.Run();
        var span = 10 - measureFrom;
        Assert.Equal((8 - measureFrom) / span, r.Stats.Nic[0].UplinkUtilisation, 9);
        Assert.Equal(1 / span, r.Stats.CpuUtilisation[5], 9);                         // busy 4.05-5.05 s
        Assert.Equal(measureFrom > 0 ? 0 : 0.1, r.Stats.CpuUtilisation[1], 9);         // busy 0.85-1.85 s
        Assert.Equal(0.08 / span, r.Stats.Nic[10].DownlinkUtilisation, 9);             // 1 MB of 100 Mbit/s from 7.25 s
        // n5's copy arrives over 3.25-4.05 s at 10 Mbit/s: 1/16 of it after 4 s.
        Assert.Equal((measureFrom > 0 ? 62_500 : 1_000_000) / (12.5e6 * span), r.Stats.Nic[5].DownlinkUtilisation, 9);
    }

    [Fact]
    public void A_node_idle_after_the_warm_up_was_not_busy_in_the_measured_part()
    {
        // n1 works 1 s at 0.05 s; nothing happens after 2 s, the warm-up's end.
        var (sim, _) = Of(2, Nic(10, 100), (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => ctx.Send(new NodeId(1), "work", 100)));
            else p.OnReceive = (ctx, _, _) => ctx.ChargeCpu(Duration.FromSeconds(1));
        }, endSeconds: 10, measureFrom: 2);
        var r = sim.Run();
        Assert.Equal(0, r.Stats.CpuUtilisation[1]);
        Assert.Equal(0, r.Stats.Nic[0].UplinkUtilisation);
    }

    [Fact]
    public void The_downlink_queue_is_the_delay_beyond_what_an_idle_downlink_would_take()
    {
        // Two 1 MB messages from two senders reach a 10 Mbit/s downlink at the same time: each alone
        // would take 0.8 s; the second waits for the first, 0.8 s more.
        var (sim, _) = Of(3, Nic(100, 10, latencyMs: 10), (i, p) =>
        {
            if (i < 2) p.Script.Add((Duration.Zero, ctx => ctx.Send(new NodeId(2), i, 1_000_000)));
        });
        var r = sim.Run();
        Assert.Equal(0.16, r.Stats.Nic[2].DownlinkUtilisation, 9); // 1.6 s of a 10 s run
        Assert.Equal(0.8 * 0.99, r.Stats.Nic[2].DownlinkQueueP99Seconds, 9);
        Assert.Equal(0.8 * 0.99, r.Metrics.Scalars[KernelMetrics.DownlinkQueueP99], 9);
    }

    [Fact]
    public void Without_bandwidth_limits_the_run_reports_no_nic_figures()
    {
        var (sim, _) = Of(3, NetworkSpec.Constant(Ms(5)), (i, p) =>
        {
            if (i == 0) p.Script.Add((Duration.Zero, ctx => ctx.Send(new NodeId(1), "x", 1_000_000)));
        });
        var r = sim.Run();
        Assert.Empty(r.Stats.Nic);
        Assert.DoesNotContain(KernelMetrics.UplinkUtilisationMax, r.Metrics.Scalars.Keys);
    }

    [Fact]
    public void Nic_queues_give_identical_results_sequentially_and_with_actors()
    {
        // Many senders, shared downlinks, jitter and FIFO: the downlink order must not depend on threads.
        static string Run(ExecutionMode mode)
        {
            var net = new NetworkSpec
            {
                BaseLatency = [[Ms(2)]],
                Jitter = new Distributions.Exponential(0.003),
                Upload = [Bandwidth.Mbps(20)],
                Download = [Bandwidth.Mbps(30)],
            };
            var (sim, probes) = Of(12, net, (i, p) =>
            {
                for (int k = 0; k < 40; k++)
                {
                    var at = Ms(7 * k + i);
                    p.Script.Add((at, ctx => { for (int j = 0; j < 12; j++) if (j != i) ctx.Send(new NodeId(j), (i, k), 20_000 + 1000 * ((i + k) % 7)); }));
                }
            }, mode: mode);
            var r = sim.Run();
            return DeterminismTests.Fingerprint(r) + string.Join(";", probes.Select(p => string.Join(",", p[0].Received.Select(x => x.At.Nanos))));
        }
        Assert.Equal(Run(ExecutionMode.Sequential), Run(ExecutionMode.Actors));
    }
}
