namespace Lab.Experiments.Sizing;

/// <summary>One load tried at one point: its replications judged against every target, and what the runs used.</summary>
/// <param name="Level">The lowest of the targets' levels (3 surely meets all, 2 by the mean, 1 possibly, 0 not).</param>
public sealed record Probe(int Point, double Load, int Level, IReadOnlyList<TargetReading> Readings, ResourceUse Use);

/// <summary>A target's reading at a probe: mean and 95% interval over the replications, and its level.</summary>
public sealed record TargetReading(SizingTarget Target, int Level, double Mean, double Low, double High);

/// <summary>
/// What the runs of a probe used, means over replications: the busiest replica's CPU (and which node it
/// was), the busiest uplink and downlink where the network charges bandwidth, committed throughput.
/// </summary>
public sealed record ResourceUse(double? CpuMax, string? CpuNode, double? UplinkMax, double? DownlinkMax, double? Throughput);
