using Lab.Consensus.Byzantine;
using Lab.Experiments.Values;

namespace Lab.Experiments.Models;

/// <summary>Shared wiring of the BFT protocol models: an open-loop client load and the BFT world's metrics.</summary>
public static class BftModels
{
    public static BftWorldOptions WorldOptions(RunContext context)
    {
        var c = context.Config;
        var clients = Math.Max(1, c.Int("workload.clients.count"));
        var rate = c.GetOr<Arrivals?>("workload.arrivals", null)?.Rate.PerSecond ?? 1000;
        return new BftWorldOptions
        {
            Regions = context.Network.Regions.Count,
            Clients = clients,
            Client = new BftClientOptions { RatePerSecond = rate / clients, TxSizeBytes = checked((int)c.Size("workload.tx-size").Bytes) },
            Warmup = context.Warmup,
        };
    }

    public static World ToWorld(BftWorld bft)
    {
        var world = new World();
        world.Nodes.AddRange(bft.Nodes);
        world.Observers.AddRange(bft.Observers);
        world.Finish = r =>
        {
            foreach (var (k, v) in bft.DeriveMetrics(r)) r.Metrics.Scalars[k] = v;
            foreach (var v in bft.Safety.Violations) r.Metrics.Findings.Add(new Lab.Sim.Metrics.Finding(v.At, "safety", v.Description));
        };
        return world;
    }
}
