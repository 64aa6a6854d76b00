using Lab.Consensus.Byzantine;

namespace Lab.Consensus.HotStuff;

/// <summary>Builds a chained-HotStuff world (replicas n0..n{n−1}, clients c0..) for experiments and tests.</summary>
public static class HotStuffWorld
{
    /// <summary>Clients send each request to every replica (each keeps a mempool; leaders rotate every view).
    /// Metrics as <see cref="Pbft.PbftWorld.Build"/>.</summary>
    public static BftWorld Build(HotStuffOptions options, BftWorldOptions? world = null)
    {
        world ??= new BftWorldOptions();
        world = world with { Client = world.Client with { FirstContact = FirstContact.All } };
        return BftWorld.Build(options.Replicas, world, (replica, committee, role) => new HotStuffReplica(replica, options, committee, role));
    }
}
