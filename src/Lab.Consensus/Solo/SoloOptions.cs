using Lab.Sim.Time;

namespace Lab.Consensus.Solo;

/// <summary>The <c>chain.solo:</c> parameters.</summary>
public sealed record SoloOptions
{
    /// <summary>How often the orderer announces its chain height to peers (so they can catch up). Default 200 ms.</summary>
    public Duration HeadInterval { get; init; } = Duration.FromMillis(200);
    /// <summary>Most blocks sent in answer to one sync request. Default 64.</summary>
    public int SyncBatch { get; init; } = 64;
}
