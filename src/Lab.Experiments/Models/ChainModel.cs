using Lab.Consensus.Common;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;

namespace Lab.Experiments.Models;

/// <summary>
/// The base of every chain protocol model: name, fault tolerance, Byzantine behaviours and fault-target
/// words all come from the protocol's one registration (<see cref="ChainProtocol"/>, given here with
/// default options); the model adds a description, the protocol's keys and <see cref="Protocol"/>, which
/// reads them. <see cref="Build"/> lays the chain out with <see cref="ChainWorld"/>: load clients from
/// <c>workload.*</c>, placement, Byzantine nodes, checkers and the standard metrics.
/// </summary>
public abstract class ChainModel(ChainProtocol defaults) : IChainModel
{
    public string Name => defaults.Name;
    public ModelKind Kind => ModelKind.Protocol;
    public abstract string Description { get; }
    public abstract IReadOnlyList<SchemaKey> Keys { get; }
    /// <summary>Metrics of this protocol beyond the standard set, under its prefix. Default none.</summary>
    public virtual IReadOnlyList<MetricInfo> Metrics => [];
    public FaultTolerance Tolerance => defaults.Tolerance;
    public IReadOnlyList<string> ByzantineBehaviours => [.. defaults.ByzantineBehaviours.Select(ChainConfig.BehaviourName)];
    /// <summary>Words faults may target besides node and region names, e.g. "leader".</summary>
    public IReadOnlyList<string> FaultTargetWords => [.. defaults.FaultTargets.Select(t => t.Word)];

    /// <summary>The protocol with this run's options (and, where it needs them, keys from the run's seed).</summary>
    public abstract ChainProtocol Protocol(RunContext context);

    /// <summary>The workload rules every chain protocol shares (<see cref="ChainConfig.Check"/>); override to add the protocol's own, calling this too.</summary>
    public virtual void Check(RunConfig config, Diagnostics problems) => ChainConfig.Check(config, problems);

    public World Build(RunContext context) => ChainConfig.ToWorld(ChainConfig.Build(context, Protocol(context)));
}
