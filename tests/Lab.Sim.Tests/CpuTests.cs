using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;
using static Lab.Sim.Tests.World;

namespace Lab.Sim.Tests;

public class CpuTests
{
    [Fact]
    public void A_node_charged_1ms_per_message_at_2000_per_second_falls_further_behind_over_time()
    {
        // Offered 2,000 msg/s to a node that can serve 1,000/s: queueing delay grows without bound.
        var net = NetworkSpec.Constant(Ms(1));
        var (sim, probes) = Of(2, net, (i, p) =>
        {
            if (i == 0)
                for (int k = 0; k < 4000; k++) { var at = Duration.FromMicros(500 * k); p.Script.Add((at, ctx => ctx.Send(new NodeId(1), at, 10))); }
            else p.OnReceive = (ctx, _, _) => ctx.ChargeCpu(Ms(1));
        }, endSeconds: 10);
        var r = sim.Run();
        var got = probes[1][0].Received;
        Assert.Equal(4000, got.Count);
        // Waiting time = start of handling − arrival (sent + 1 ms).
        double Wait(int k) => (got[k].At - (SimTime.Zero + (Duration)got[k].Message) - Ms(1)).TotalMilliseconds;
        Assert.Equal(0, Wait(0));
        Assert.True(Wait(1000) > 400 && Wait(1000) < 600, $"wait after 1000 = {Wait(1000)} ms");  // ≈ 0.5 ms × 1000
        Assert.True(Wait(3999) > Wait(2000) && Wait(2000) > Wait(1000));
        Assert.True(r.Stats.CpuUtilisation[1] > 0.39, $"utilisation {r.Stats.CpuUtilisation[1]}"); // busy 4 s of 10
    }

    [Fact]
    public void Below_capacity_there_is_no_queueing()
    {
        var net = NetworkSpec.Constant(Ms(1));
        var (sim, probes) = Of(2, net, (i, p) =>
        {
            if (i == 0)
                for (int k = 0; k < 1000; k++) { var at = Duration.FromMicros(2000 * k); p.Script.Add((at, ctx => ctx.Send(new NodeId(1), at, 10))); }
            else p.OnReceive = (ctx, _, _) => ctx.ChargeCpu(Ms(1));
        });
        sim.Run();
        Assert.All(probes[1][0].Received, x => Assert.Equal(SimTime.Zero + (Duration)x.Message + Ms(1), x.At));
    }

    [Fact]
    public void Messages_sent_after_charging_cpu_leave_when_the_work_is_done()
    {
        var net = NetworkSpec.Constant(Ms(5));
        var (sim, probes) = Of(2, net, (i, p) =>
        {
            if (i == 0) p.Script.Add((Ms(1), ctx => { ctx.ChargeCpu(Ms(3)); ctx.Send(new NodeId(1), "done", 10); }));
        });
        sim.Run();
        Assert.Equal(SimTime.Zero + Ms(9), probes[1][0].Received.Single().At);
    }
}
