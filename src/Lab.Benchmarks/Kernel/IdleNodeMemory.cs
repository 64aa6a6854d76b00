using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Benchmarks.Kernel;

/// <summary>
/// Memory per idle simulated node, actor included: builds a world of N nodes that do nothing, and
/// measures the managed heap once every node's host and actor exist (at the first barrier).
/// </summary>
public static class IdleNodeMemory
{
    private sealed class Idle : INodeBehaviour
    {
        public void OnStart(INodeContext ctx) => ctx.SetTimer(Duration.FromSeconds(1), this);
        public void OnMessage(INodeContext ctx, NodeId from, object message) { }
        public void OnTimer(INodeContext ctx, object state) { }
    }

    public static double BytesPerNode(int nodes, ExecutionMode mode)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long during = 0;
        var specs = Enumerable.Range(0, nodes).Select(i => new NodeSpec($"n{i}", 0, "node", () => new Idle())).ToList();
        var sim = new Simulation(new SimulationOptions { Seed = 1, EndTime = SimTime.Zero + Duration.FromSeconds(2), Mode = mode },
            NetworkSpec.Constant(Duration.FromMillis(1)), specs)
        {
            StopWhen = _ => { during = GC.GetTotalMemory(forceFullCollection: true); return true; },
        };
        sim.Run();
        GC.KeepAlive(specs);
        return (double)(during - before) / nodes;
    }
}
