using Lab.Sim.Time;

namespace Lab.Consensus.Workload;

/// <summary>One transaction arrival: when, and (from a trace) its size and type.</summary>
public readonly record struct Arrival(SimTime At, int? SizeBytes = null, string? Type = null);

/// <summary>A client's own stream of arrivals, drawn from its own random stream.</summary>
public interface IArrivalSource
{
    /// <summary>The next arrival strictly after the previous one, or null when the process has ended.</summary>
    Arrival? Next(Lab.Sim.Randomness.SimRandom rng);
}
