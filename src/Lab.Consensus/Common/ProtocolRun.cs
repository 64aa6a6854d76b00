using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Consensus.Common;

/// <summary>
/// What one run of a protocol brings to <see cref="ChainWorld"/> when the standard machinery does not
/// fit it: proof of work places thousands of nodes by measured shares on a random peer graph, finality
/// is k blocks deep on each node rather than a commit log, and comparing 6,000 commit logs between
/// every window would cost more than the run. Returned by <see cref="ChainProtocol.Prepare"/>; a
/// protocol that returns none gets the standard: placement from <c>chain.placement</c>, agreement by
/// commit logs (<see cref="SafetyChecker"/>), validity by looking inside committed blocks
/// (<see cref="LedgerValidityChecker"/>) and leader-based availability (<see cref="AvailabilityObserver"/>).
/// With one, <see cref="ChainWorld"/> attaches it instead of those three and reads the standard
/// metrics' figures from it; the client, the metric definitions and the rule that a violation fails
/// the run stay the same.
/// </summary>
public abstract class ProtocolRun : ISimulationObserver
{
    /// <summary>Region index of replica <paramref name="replica"/>, or null to place it by <c>chain.placement</c>.</summary>
    public virtual int? RegionOf(int replica) => null;

    /// <summary>Agreement violations found (the protocol's own safety view), in time order.</summary>
    public abstract IReadOnlyList<SafetyViolation> SafetyViolations { get; }

    /// <summary>Validity violations found: committed transactions never submitted, committed twice, or lost.</summary>
    public abstract IReadOnlyList<SafetyViolation> ValidityViolations { get; }

    /// <summary>Blocks decided (final) in the run: the denominator of <c>messages_per_decision</c>.</summary>
    public abstract long Decisions { get; }

    /// <summary>Virtual seconds after warm-up in which the chain could not make progress.</summary>
    public abstract double UnavailableSeconds { get; }

    /// <summary>Whether to report per-replica scalars (<c>cpu_utilisation_&lt;node&gt;</c>); false for thousands of nodes.</summary>
    public virtual bool PerReplicaScalars => true;

    /// <summary>Stop predicate, checked between windows (e.g. every node reached the target height). Default: never.</summary>
    public virtual bool Finished(ISimulationView view) => false;

    /// <summary>Adds the protocol's own metrics (under its prefix), after the standard ones.</summary>
    public virtual void AddMetrics(RunResult result) { }

    public abstract void OnBarrier(ISimulationView view);

    public abstract void OnEnd(ISimulationView view);
}

/// <summary>Where a run takes place, for <see cref="ChainProtocol.Prepare"/>.</summary>
/// <param name="Network">The run's network.</param>
/// <param name="Seed">The run's seed (draw everything random from streams derived from it).</param>
/// <param name="Replicas">Replica nodes: <c>n0..</c>, node indices 0 to Replicas − 1.</param>
/// <param name="Nodes">All nodes of the run: replicas, then load clients and other submitting nodes.</param>
/// <param name="MeasureFrom">End of the warm-up.</param>
public sealed record ChainSite(NetworkSpec Network, ulong Seed, int Replicas, int Nodes, SimTime MeasureFrom);
