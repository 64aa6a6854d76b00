using Lab.Experiments.Models;
using Lab.Sim.Time;

namespace Lab.Experiments;

/// <summary>A validated experiment, expanded into the points it will run (variant × sweep point).</summary>
public sealed class Experiment
{
    public required string File { get; init; }
    /// <summary>Every file validation read (the experiment, presets, traces, CDFs): full path → "sha256:…".</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Inputs { get; init; } = [];
    /// <summary>The <c>--set</c> values it was loaded with, in order (what another process needs to load the same experiment).</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];
    /// <summary>The file as written.</summary>
    public required string SourceText { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required ulong Seed { get; init; }
    public required int Replications { get; init; }
    /// <summary>Defaults filled in, presets and overrides applied; variants and sweep as given.</summary>
    public required string ResolvedYaml { get; init; }

    /// <summary>SHA-256 of <see cref="ResolvedYaml"/>, hex: equal hashes, equal runs. Results folders, child processes and
    /// cluster workers compare it before they accept a run.</summary>
    public string ConfigHash => _configHash ??= Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ResolvedYaml)));
    private string? _configHash;   // a race computes it twice, to the same string
    public required IReadOnlyList<PlannedPoint> Points { get; init; }
    public required IReadOnlyList<string> SweepAxes { get; init; }
    public required IReadOnlyList<string> Charts { get; init; }
    public required string ExpectedSafety { get; init; }
    public required Duration Duration { get; init; }
    public required Duration Warmup { get; init; }
    /// <summary>The <c>verify:</c> section, each check resolved to its point; null when the file has none.</summary>
    public Verification.VerifySpec? Verify { get; init; }

    /// <summary>Every run in order: point by point, replications in seed order.</summary>
    public IReadOnlyList<RunSpec> Runs =>
        [.. Points.SelectMany(p => Enumerable.Range(0, Replications).Select(r => new RunSpec(p, r, ReplicationSeed(Seed, r))))];

    /// <summary>Replication r of every variant and point gets the same seed (common random numbers).</summary>
    public static ulong ReplicationSeed(ulong root, int replication) => Sim.Randomness.SimRandom.DeriveSeed(root, "replication", replication);
}

/// <summary>One variant at one sweep point: its resolved configuration and the model that runs it.</summary>
public sealed record PlannedPoint(int Index, string Variant, IReadOnlyList<KeyValuePair<string, string>> Parameters, RunConfig Config, IModel Model, IModel? Protocol)
{
    public string Label => Parameters.Count == 0 ? Variant : Variant + " " + string.Join(" ", Parameters.Select(p => $"{p.Key}={p.Value}"));
}

/// <summary>One run: a point and a replication with its seed.</summary>
public sealed record RunSpec(PlannedPoint Point, int Replication, ulong Seed)
{
    public string Label => $"{Point.Label} #{Replication + 1}";
}
