using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Sim.Workloads;

/// <summary>
/// Kernel benchmark workload: each node starts with <see cref="Tokens"/> tokens; whoever receives a
/// token passes it to a random other node. The number of messages in flight stays constant, so the
/// event rate measures the kernel, not the workload.
/// </summary>
public sealed class RandomPing(int tokens, Duration cpuPerMessage) : INodeBehaviour
{
    public int Tokens => tokens;

    public void OnStart(INodeContext ctx)
    {
        for (int i = 0; i < tokens; i++) Pass(ctx, new Token(ctx.Self.Value, i));
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (cpuPerMessage.Nanos > 0) ctx.ChargeCpu(cpuPerMessage);
        ctx.Metrics.Add("pings");
        Pass(ctx, message);
    }

    public void OnTimer(INodeContext ctx, object state) { }

    private static void Pass(INodeContext ctx, object token)
    {
        var peer = ctx.Random.Next(ctx.Directory.Count - 1);
        if (peer >= ctx.Self.Value) peer++;
        ctx.Send(new NodeId(peer), token, 64);
    }

    public sealed record Token(int Origin, int Index);
}
