using Lab.Sim.Time;

namespace Lab.Consensus.Byzantine;

/// <summary>
/// CPU cost of authentication, charged on the node that does the work (queueing behind it is real).
/// Defaults are ECDSA P-256-like figures for a 2020s server core (sign ≈ 50 µs, verify ≈ 70 µs, as in
/// the bft-scaling example); the ledger's BenchmarkDotNet run replaces them with measured values.
/// </summary>
public sealed record AuthenticationCosts
{
    /// <summary>Signing one outgoing message (a multicast is signed once).</summary>
    public Duration Sign { get; init; } = Duration.FromMicros(50);
    /// <summary>Verifying one signature: each incoming message's, and each one inside a PBFT certificate
    /// (a view-change's checkpoint and prepared certificates, a new-view's V and O) the first time it is checked.</summary>
    public Duration Verify { get; init; } = Duration.FromMicros(70);
    /// <summary>Hashing payload (batch digests), per kilobyte.</summary>
    public Duration HashPerKilobyte { get; init; } = Duration.FromMicros(3);
    /// <summary>HotStuff: combining n−f partial signatures into one quorum certificate.</summary>
    public Duration Aggregate { get; init; } = Duration.FromMicros(100);
    /// <summary>HotStuff: verifying one aggregate certificate (a QC or a TC), once per certificate a replica has not seen before.</summary>
    public Duration VerifyAggregate { get; init; } = Duration.FromMicros(140);

    /// <summary>No CPU cost at all: for tests of message-delay structure.</summary>
    public static readonly AuthenticationCosts Free = new()
    {
        Sign = Duration.Zero, Verify = Duration.Zero, HashPerKilobyte = Duration.Zero,
        Aggregate = Duration.Zero, VerifyAggregate = Duration.Zero,
    };

    public Duration Hash(int bytes) => HashPerKilobyte.Nanos == 0 ? Duration.Zero : Duration.FromNanos(HashPerKilobyte.Nanos * bytes / 1024);
}
