using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Experiments.Models;

/// <summary>Everything a model needs to build one run's world.</summary>
public sealed class RunContext
{
    public required RunConfig Config { get; init; }
    /// <summary>This replication's seed (already derived from the root seed).</summary>
    public required ulong Seed { get; init; }
    public required NetworkSpec Network { get; init; }
    public required ModelRegistry Registry { get; init; }
    /// <summary>The model named by <c>chain.protocol</c>, if any (a scenario model builds its chain with it).</summary>
    public IModel? Protocol { get; init; }
    public Duration Duration => Config.Time("duration");
    public Duration Warmup => Config.Time("warmup");

    /// <summary>
    /// Region index of the i-th node of a kind, from <c>chain.placement</c>: round-robin over the
    /// network's regions, one named region, or a list of regions cycled through.
    /// </summary>
    public int RegionOf(int index)
    {
        var placement = Config.GetOr<Placement?>("chain.placement", null);
        if (placement is null || placement.Regions.Count == 0) return index % Network.Regions.Count;
        var name = placement.Regions[index % placement.Regions.Count].Name;
        var r = Network.RegionIndex(name);
        return r < 0 ? 0 : r;
    }

    /// <summary>Region index of the i-th client: round-robin over <c>workload.clients.regions</c> (<c>all</c>: every region).</summary>
    public int ClientRegionOf(int index)
    {
        var regions = Config.Strings("workload.clients.regions").Where(r => r != "all").ToList();
        if (regions.Count == 0) return index % Network.Regions.Count;
        var r = Network.RegionIndex(regions[index % regions.Count]);
        return r < 0 ? 0 : r;
    }
}

/// <summary>Where nodes go: round-robin over all regions (no regions listed), or cycling through the listed ones.</summary>
public sealed record Placement(IReadOnlyList<(string Name, Yaml.SourceMark Mark)> Regions);
