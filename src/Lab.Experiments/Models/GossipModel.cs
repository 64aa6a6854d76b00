using Lab.Experiments.Schema;
using Lab.Experiments.Values;
using Lab.Reports;
using Lab.Sim.Workloads;

namespace Lab.Experiments.Models;

/// <summary>
/// Kernel-only random gossip (<see cref="RandomGossip"/>): nodes start rumours as a Poisson process and
/// relay every new rumour to <c>fanout</c> random peers. No chain: it exercises the network, faults
/// and the whole experiment path, and is the smallest example of a model.
/// </summary>
public sealed class GossipModel : IModel
{
    public string Name => "gossip";
    public ModelKind Kind => ModelKind.Protocol;
    public string Description => "random gossip of rumours (kernel only, no chain): how fast news spreads over the network";

    public IReadOnlyList<SchemaKey> Keys { get; } =
    [
        Key.Int("chain.gossip.fanout", "Peers each node relays a new rumour to.", 4, min: 1, max: 1000),
        Key.Size("chain.gossip.message-size", "Size of one rumour message.", "256B", min: 1),
        Key.Time("chain.gossip.cpu-per-message", "CPU time a node spends on each message it receives.", "0s"),
    ];

    /// <summary>Rumours start as a Poisson process on the nodes themselves: there are no clients, transactions or retries.</summary>
    public IReadOnlyList<string> UnsupportedKeys { get; } =
        [.. new[] { "workload.clients.count", "workload.clients.regions", "workload.tx-size" }.Concat(ChainConfig.Keys.Select(k => k.Path))
            .Where(k => k.StartsWith("workload.", StringComparison.Ordinal) && k != "workload.rate")];

    public IReadOnlyList<MetricWord> Words { get; } =
        [new(MetricWord.Throughput, "rumours_heard_per_s"), new(MetricWord.Latency, "rumour_latency_s")];

    public IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        new("rumour_latency_s", "time from a rumour's start until a node first hears it"),
        new("rumours_originated", "rumours started"),
        new("gossip_messages_received", "rumour messages received, duplicates included"),
        new("rumours_heard", "first hearings per time bin (series)"),
        new("rumours_heard_per_s", "first hearings per second after warm-up, from the rumours_heard series"),
        new("rumour_coverage", "share of nodes that heard an average rumour, 0 to 1"),
    ];

    public void Check(RunConfig config, Validation.Diagnostics problems)
    {
        if (config.GetOr<Arrivals?>("workload.arrivals", null) is { Process: not "poisson" } a)
            problems.Error(config.MarkOf("workload.arrivals"), "workload.arrivals", $"gossip starts rumours as a Poisson process; '{a.Process}' arrivals do not apply (write a rate or poisson(rate: ...))");
    }

    public World Build(RunContext context)
    {
        var c = context.Config;
        var n = c.Int("chain.nodes");
        // workload.rate (or the rate in workload.arrivals) is the total over all nodes; without it every node starts one rumour a second.
        var total = ChainConfig.OfferedRate(c, n);
        var options = new GossipOptions
        {
            RumoursPerSecond = total / n,
            Fanout = c.Int("chain.gossip.fanout"),
            MessageBytes = checked((int)c.Size("chain.gossip.message-size").Bytes),
            CpuPerMessage = c.Time("chain.gossip.cpu-per-message"),
        };
        var world = new World();
        for (int i = 0; i < n; i++)
            world.Nodes.Add(new($"n{i}", context.RegionOf(i), "node", () => new RandomGossip(options)));
        world.Finish = result =>
        {
            var originated = result.Metrics.Counter("rumours_originated");
            var heard = result.Metrics.Series.TryGetValue("rumours_heard", out var bins) ? bins.Sum() : 0;
            result.Metrics.Scalars["rumour_coverage"] = originated == 0 ? 0 : (heard + originated) / (originated * n);
        };
        return world;
    }
}
