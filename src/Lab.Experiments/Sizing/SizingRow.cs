namespace Lab.Experiments.Sizing;

/// <summary>One point of the file's sweep, sized: its search's outcome, every probe, and the resource that binds at the knee.</summary>
public sealed record SizingRow(PlannedPoint Point, string Description, SearchOutcome Outcome, IReadOnlyList<Probe> Probes, Binding Binding);

/// <summary>The resource that saturates at the knee, read from the probe just above the answer.</summary>
/// <param name="Resource">"n0's CPU", "the busiest uplink", "the clients' window (workload.outstanding)", or null when none saturated.</param>
/// <param name="Utilisation">Its utilisation there, 0 to 1 (null for the clients' window).</param>
/// <param name="AtLoad">The load of the probe read.</param>
/// <param name="Note">What was seen when nothing saturated.</param>
public sealed record Binding(string? Resource, double? Utilisation, double? AtLoad, string Note);

/// <summary>Everything <c>lab size</c> found.</summary>
public sealed record SizingResult(Experiment Experiment, string LoadKey, string LoadUnit, IReadOnlyList<SizingTarget> Targets, SearchOptions Options, IReadOnlyList<SizingRow> Rows, int Runs);
