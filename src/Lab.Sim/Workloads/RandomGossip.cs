using Lab.Sim.Nodes;
using Lab.Sim.Time;

namespace Lab.Sim.Workloads;

/// <summary>
/// Kernel-only workload: nodes originate rumours at random (a Poisson process) and every node that
/// hears a rumour for the first time relays it to <see cref="GossipOptions.Fanout"/> random peers.
/// Records how long each rumour takes to reach each node (<c>rumour_latency_s</c>) and how many
/// nodes it reached.
/// </summary>
public sealed class RandomGossip(GossipOptions options) : INodeBehaviour
{
    private readonly HashSet<long> _seen = [];
    private long _originated;

    public void OnStart(INodeContext ctx)
    {
        if (options.RumoursPerSecond > 0) ScheduleNext(ctx);
    }

    private void ScheduleNext(INodeContext ctx) =>
        ctx.SetTimer(Duration.FromSeconds(ctx.Random.NextExponential(1.0 / options.RumoursPerSecond)), Originate.Instance);

    public void OnTimer(INodeContext ctx, object state)
    {
        var rumour = new Rumour(((long)ctx.Self.Value << 32) | _originated++, ctx.Now);
        _seen.Add(rumour.Id);
        ctx.Metrics.Add("rumours_originated");
        Relay(ctx, rumour);
        ScheduleNext(ctx);
    }

    public void OnMessage(INodeContext ctx, NodeId from, object message)
    {
        if (message is not Rumour r) return;
        ctx.ChargeCpu(options.CpuPerMessage);
        ctx.Metrics.Add("gossip_messages_received");
        if (!_seen.Add(r.Id)) return;
        ctx.Metrics.Sample("rumour_latency_s", (ctx.Now - r.Origin).TotalSeconds);
        ctx.Metrics.Series("rumours_heard");
        Relay(ctx, r);
    }

    private void Relay(INodeContext ctx, Rumour r)
    {
        var n = ctx.Directory.Count;
        for (int i = 0; i < options.Fanout && n > 1; i++)
        {
            var peer = ctx.Random.Next(n - 1);
            if (peer >= ctx.Self.Value) peer++; // any node but self
            ctx.Send(new NodeId(peer), r, options.MessageBytes);
        }
    }

    private sealed class Originate { public static readonly Originate Instance = new(); }
}

public sealed record GossipOptions
{
    public double RumoursPerSecond { get; init; } = 1;
    public int Fanout { get; init; } = 4;
    public int MessageBytes { get; init; } = 256;
    public Duration CpuPerMessage { get; init; } = Duration.Zero;
}

public sealed record Rumour(long Id, SimTime Origin);
