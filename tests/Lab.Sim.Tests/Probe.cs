using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Sim.Tests;

/// <summary>A scriptable node for kernel tests: runs actions at given times, records what it receives.</summary>
internal sealed class Probe : INodeBehaviour
{
    public readonly List<(SimTime At, NodeId From, object Message)> Received = [];
    public readonly List<(SimTime At, object State)> Fired = [];
    public readonly List<(Duration At, Action<INodeContext> Do)> Script = [];
    public Action<INodeContext, NodeId, object>? OnReceive { get; set; }
    public int Starts;

    public void OnStart(INodeContext ctx)
    {
        Starts++;
        foreach (var (at, _) in Script) ctx.SetTimer(at, at);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        Received.Add((ctx.Now, from, message));
        OnReceive?.Invoke(ctx, from, message);
    }

    public void OnTimer(INodeContext ctx, object state)
    {
        Fired.Add((ctx.Now, state));
        if (state is Duration d) foreach (var (at, act) in Script) if (at == d) act(ctx);
    }
}

internal static class World
{
    public static SimTime T(double seconds) => SimTime.Zero + Duration.FromSeconds(seconds);
    public static Duration Ms(double ms) => Duration.FromMillis(ms);

    /// <summary>Builds a simulation over probes; the returned list gives each node's current probe (restarts make new ones).</summary>
    public static (Simulation Sim, List<Probe>[] Probes) Of(int n, NetworkSpec net, Action<int, Probe>? setup = null,
        double endSeconds = 10, ExecutionMode mode = ExecutionMode.Sequential, IEnumerable<Lab.Sim.Faults.ScheduledFault>? faults = null, int[]? regions = null,
        double measureFrom = 0)
    {
        var probes = Enumerable.Range(0, n).Select(_ => new List<Probe>()).ToArray();
        var nodes = Enumerable.Range(0, n).Select(i => new NodeSpec($"n{i}", regions?[i] ?? 0, "node", () =>
        {
            var p = new Probe();
            setup?.Invoke(i, p);
            probes[i].Add(p);
            return p;
        })).ToList();
        var sim = new Simulation(new SimulationOptions { Seed = 5, EndTime = T(endSeconds), Mode = mode, MeasureFrom = T(measureFrom) }, net, nodes, faults);
        return (sim, probes);
    }
}
