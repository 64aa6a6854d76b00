using Lab.Sim.Time;

namespace Lab.Ledger.Crypto;

/// <summary>Whether signatures are computed for real or only cost CPU time.</summary>
public enum SignatureMode
{
    /// <summary>No cryptography runs; senders and receivers are only charged <see cref="CryptoCosts"/>.</summary>
    Modelled,
    /// <summary>ECDSA P-256 via System.Security.Cryptography: clients sign, receivers verify (and still charge the cost,
    /// since wall time is not virtual time).</summary>
    Real,
}

/// <summary>
/// Virtual CPU time charged for ledger cryptography. Defaults are this machine's own BenchmarkDotNet
/// measurement (src/Lab.Benchmarks/LedgerCryptoBenchmarks.cs, recorded in
/// scenarios/presets/cpu/this-machine.yaml); experiments override them per run.
/// </summary>
public sealed record CryptoCosts
{
    // Measured 2026-11-27 on the shared 2-core lab machine, .NET 10, BenchmarkDotNet ShortRun
    // (scenarios/presets/cpu/this-machine.yaml): SHA-256 1 KB 1.243 us, ECDSA P-256 sign 26.185 us,
    // verify 81.657 us (means of 3 iterations; verify varied ±12% on the shared machine).
    /// <summary>SHA-256 per kilobyte hashed (blocks, Merkle trees).</summary>
    public Duration HashPerKb { get; init; } = Duration.FromNanos(HashPerKbNanos);
    /// <summary>One ECDSA P-256 signature.</summary>
    public Duration Sign { get; init; } = Duration.FromNanos(SignNanos);
    /// <summary>One ECDSA P-256 verification.</summary>
    public Duration Verify { get; init; } = Duration.FromNanos(VerifyNanos);

    internal const long HashPerKbNanos = 1_243;
    internal const long SignNanos = 26_185;
    internal const long VerifyNanos = 81_657;

    /// <summary>This machine's measured costs (the defaults).</summary>
    public static readonly CryptoCosts ThisMachine = new();

    /// <summary>No CPU cost at all: for protocol tests that check exact latencies.</summary>
    public static readonly CryptoCosts Free = new() { HashPerKb = Duration.Zero, Sign = Duration.Zero, Verify = Duration.Zero };

    /// <summary>Cost of hashing <paramref name="bytes"/> bytes.</summary>
    public Duration Hash(long bytes) => bytes <= 0 || HashPerKb.Nanos == 0
        ? Duration.Zero
        : Duration.FromNanos(checked(HashPerKb.Nanos * bytes / 1024));
}
