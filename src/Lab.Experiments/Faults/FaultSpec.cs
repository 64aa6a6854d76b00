using Lab.Experiments.Yaml;
using Lab.Sim.Time;

namespace Lab.Experiments.Faults;

/// <summary>
/// One entry of <c>faults</c> as written: when, for how long, what, and whom. Targets are resolved
/// against the run's nodes when the world is built.
/// </summary>
/// <param name="Targets">One group for most actions; one per group for <c>partition</c>.</param>
/// <param name="Value">Loss probability for <c>loss</c>, latency factor for <c>latency</c>/<c>slow</c>.</param>
public sealed record FaultSpec(SourceMark Mark, Duration At, Duration? For, string Action, IReadOnlyList<TargetSpec> Targets, double Value, bool LoseDisk);

/// <summary>Words naming nodes: node names, region names, model targets ("leader"), <c>crashed</c>, <c>all</c> or a share such as <c>30%</c>.</summary>
public sealed record TargetSpec(SourceMark Mark, IReadOnlyList<string> Words);

/// <summary>One entry of <c>byzantine</c>: which nodes misbehave, how, and whether they collude.</summary>
public sealed record ByzantineSpec(SourceMark Mark, IReadOnlyList<string> Nodes, string Behaviour, bool Collude);
