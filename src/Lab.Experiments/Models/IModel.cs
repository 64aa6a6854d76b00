using Lab.Experiments.Schema;
using Lab.Experiments.Validation;

namespace Lab.Experiments.Models;

/// <summary>Which key selects a model: <c>chain.protocol</c> or <c>scenario.kind</c>.</summary>
public enum ModelKind { Protocol, Scenario }

/// <summary>How many faulty nodes a protocol survives: none claimed, crash (n ≥ 2f+1) or Byzantine (n ≥ 3f+1).</summary>
public enum FaultTolerance { None, Crash, Byzantine }

/// <summary>A metric a model produces, for <c>lab list metrics</c> and the key reference.</summary>
public sealed record MetricInfo(string Name, string Description);

/// <summary>
/// A protocol or a scenario that experiments can run. To add one:
/// <list type="number">
/// <item>Write one class in <c>src/Lab.Experiments/Models/</c> implementing this interface (see
/// <see cref="GossipModel"/>, about 80 lines): a <see cref="Name"/> (the value of <c>chain.protocol</c>
/// or <c>scenario.kind</c>), its own <see cref="Keys"/> under its namespace (<c>chain.&lt;name&gt;.*</c>
/// for protocols, <c>scenario.*</c>/<c>institutions.*</c>/... for scenarios) built with
/// <see cref="Key"/>, optional cross-field rules in <see cref="Check"/>, and <see cref="Build"/>, which
/// turns one resolved run configuration into a <see cref="World"/> (nodes, observers, fault targets
/// such as "leader", a stop predicate, derived scalar metrics).</item>
/// <item>Add one line to <see cref="ModelRegistry.Default"/>.</item>
/// <item>Run <c>./lab schema --write</c> to regenerate <c>scenarios/experiment.schema.json</c> and the
/// key reference in <c>scenarios/README.md</c> (a test fails until you do).</item>
/// </list>
/// The network, placement (<see cref="RunContext.RegionOf"/>), fault schedule, seeds, warm-up,
/// replications, variants and sweeps are handled centrally. Safety: record violations with
/// <c>Metrics.Add("safety_violations")</c> and <c>Metrics.Note("safety", text)</c>; the runner fails the
/// experiment with exit code 3 unless it says <c>expect.safety: violated</c>.
/// Runs execute on several threads at once: keep the model object stateless (all run state lives in
/// what <see cref="Build"/> returns), and draw randomness only from the node contexts' seeded streams.
/// </summary>
public interface IModel
{
    string Name { get; }
    ModelKind Kind { get; }
    /// <summary>One line for <c>lab list</c>.</summary>
    string Description { get; }
    /// <summary>The model's own keys, with full dotted paths.</summary>
    IReadOnlyList<SchemaKey> Keys { get; }
    IReadOnlyList<MetricInfo> Metrics => [];
    /// <summary>Checked against the Byzantine nodes listed in <c>byzantine</c> (n ≥ 3f+1) unless <c>expect.safety: violated</c>.</summary>
    FaultTolerance Tolerance => FaultTolerance.None;
    /// <summary>Values allowed in <c>byzantine[].behaviour</c> (empty: the model has no Byzantine nodes).</summary>
    IReadOnlyList<string> ByzantineBehaviours => [];
    /// <summary>Cross-field rules on a resolved configuration; report with <c>problems.Error(config.MarkOf(key), key, message)</c>.</summary>
    void Check(RunConfig config, Diagnostics problems) { }
    /// <summary>Builds the world of one run. Must be deterministic in <see cref="RunContext.Seed"/> and cheap (it is also called to validate).</summary>
    World Build(RunContext context);
    /// <summary>Sentences that open the report's summary, composed from every finished point of the experiment
    /// (e.g. the securities headline comparing T+1 with on-chain settlement). Called once, after all runs.</summary>
    IReadOnlyList<string> Conclude(IReadOnlyList<Lab.Reports.PointResult> points) => [];
}
