using Lab.Consensus.Common;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Reports;

namespace Lab.Experiments.Models;

/// <summary>Which key selects a model: <c>chain.protocol</c> or <c>scenario.kind</c>.</summary>
public enum ModelKind { Protocol, Scenario }

/// <summary>A metric a model produces, for <c>lab list metrics</c> and the key reference.</summary>
public sealed record MetricInfo(string Name, string Description);

/// <summary>
/// A protocol or a scenario that experiments can run.
/// <para><b>Adding a consensus protocol</b> (one class plus one registry line):</para>
/// <list type="number">
/// <item>Next to the replica, in <c>src/Lab.Consensus/&lt;Protocol&gt;/</c>, subclass
/// <c>Lab.Consensus.Common.ChainProtocol</c> (see <c>RaftProtocol</c>, about 30 lines): its name, its
/// <c>FaultTolerance</c> (the loader's n ≥ 2f+1 / 3f+1 check reads it), its Byzantine behaviours, its
/// fault-target words ("leader", "primary"), its client <c>FinalityRule</c> (the leader's reply, f+1
/// matching replies, k confirmations) and a factory for its replicas. Replicas implement <c>IBlockSource</c>
/// (and <c>ILeaderRole</c> if they have a leader), answer client requests (<c>ClientRequest.TxOf(message)</c>) with <c>ClientReply</c>,
/// and send replica-to-replica messages through <c>ProtocolTraffic</c>.</item>
/// <item>In <c>src/Lab.Experiments/Models/</c>, subclass <see cref="ChainModel"/> (see <see cref="RaftModel"/>):
/// a description, the protocol's own keys under <c>chain.&lt;name&gt;.*</c> built with <see cref="Key"/>,
/// the metrics its replicas record beyond the standard set (<see cref="Metrics"/>), and <see cref="ChainModel.Protocol"/>,
/// which reads the keys into the protocol's options.</item>
/// <item>Add one line to <see cref="ModelRegistry.Default"/>, then run <c>./lab schema --write</c> to regenerate
/// <c>scenarios/experiment.schema.json</c> and the key reference in <c>scenarios/README.md</c> (a test fails until you do).</item>
/// </list>
/// <para>The shared <c>ChainWorld</c> then gives the protocol everything else: load clients with every
/// <c>workload.*</c> option (open and closed loop, profiles, traces, retries), placement, twins and
/// Byzantine roles, faults, the agreement and validity checkers, the standard metrics
/// (<c>StandardMetrics</c>), and every scenario that runs on a chain (<c>scenario.kind: securities</c>).
/// <c>tests/Lab.Experiments.Tests/TinyProtocolTests.cs</c> registers a protocol this way from a test.</para>
/// <para><b>Other models</b> (a scenario, or a protocol outside the chain contract such as proof of work)
/// implement this interface directly (see <see cref="GossipModel"/>, about 60 lines): a <see cref="Name"/> (the value of <c>chain.protocol</c>
/// or <c>scenario.kind</c>), its own <see cref="Keys"/>, optional cross-field rules in <see cref="Check"/>,
/// the common keys it cannot honour in <see cref="UnsupportedKeys"/> (set in a file, they are errors), every
/// metric it records in <see cref="Metrics"/> (charts of other names fail validation) with the
/// <see cref="Words"/> that mean its throughput and latency, and <see cref="Build"/>, which turns one resolved run configuration into a <see cref="World"/> (nodes,
/// observers, fault targets such as "leader", a stop predicate, derived scalar metrics). A scenario that
/// needs a chain asks <see cref="RunContext.Protocol"/> (an <see cref="IChainModel"/>) for it.</para>
/// <para>The network, placement (<see cref="RunContext.RegionOf"/>), fault schedule, seeds, warm-up,
/// replications, variants and sweeps are handled centrally. Safety: record violations with
/// <c>Metrics.Add(KernelMetrics.SafetyViolations)</c> and <c>Metrics.Note(KernelMetrics.SafetyFinding, text)</c> (chain models get this from
/// the checkers); the runner fails the experiment with exit code 3 unless it says <c>expect.safety: violated</c>.
/// Runs execute on several threads at once: keep the model object stateless (all run state lives in
/// what <see cref="Build"/> returns), and draw randomness only from the node contexts' seeded streams.</para>
/// </summary>
public interface IModel
{
    string Name { get; }
    ModelKind Kind { get; }
    /// <summary>One line for <c>lab list</c>.</summary>
    string Description { get; }
    /// <summary>The model's own keys, with full dotted paths.</summary>
    IReadOnlyList<SchemaKey> Keys { get; }
    /// <summary>Every metric this model records beyond what every run and every chain run records
    /// (<see cref="MetricCatalog"/>): <c>lab list metrics</c> prints them, and <c>lab validate</c> refuses a chart
    /// of a metric no model of the experiment lists. A family is written <c>name.&lt;node&gt;</c>.</summary>
    IReadOnlyList<MetricInfo> Metrics => [];
    /// <summary>Words that mean this model's metrics (<see cref="MetricWord"/>: throughput, latency,
    /// settlement), read by charts such as <c>latency-cdf</c>, the headline table and the narrative. Chain models
    /// get the chain contract's (<see cref="MetricCatalog.ChainWords"/>) besides.</summary>
    IReadOnlyList<MetricWord> Words => [];
    /// <summary>How many faulty nodes it survives; the loader checks the nodes listed in <c>byzantine</c>
    /// against it (e.g. n ≥ 3f+1) unless <c>expect.safety: violated</c>.</summary>
    FaultTolerance Tolerance => FaultTolerance.None;
    /// <summary>Values allowed in <c>byzantine[].behaviour</c> (empty: the model has no Byzantine nodes).</summary>
    IReadOnlyList<string> ByzantineBehaviours => [];
    /// <summary>Common keys (e.g. <c>workload.outstanding</c>) this model cannot honour: written in a file, a
    /// variant, a sweep or <c>--set</c>, each is an error with its position rather than silently ignored.</summary>
    IReadOnlyList<string> UnsupportedKeys => [];
    /// <summary>A scenario that runs on a chain for this configuration: the loader then requires <c>chain.protocol</c>
    /// to name a chain protocol (<see cref="IChainModel"/>), whichever it is.</summary>
    bool RunsOnChain(RunConfig config) => false;
    /// <summary>Cross-field rules on a resolved configuration; report with <c>problems.Error(config.MarkOf(key), key, message)</c>.</summary>
    void Check(RunConfig config, Diagnostics problems) { }
    /// <summary>Builds the world of one run. Must be deterministic in <see cref="RunContext.Seed"/> and cheap (it is also called to validate).</summary>
    World Build(RunContext context);
    /// <summary>Sentences that open the report's summary, composed from every finished point of the experiment
    /// (e.g. the securities headline comparing T+1 with on-chain settlement). Called once, after all runs.</summary>
    IReadOnlyList<string> Conclude(IReadOnlyList<Lab.Reports.PointResult> points) => [];
    /// <summary>Items (trades, payments) to follow step by step in the report, from the first replication of each
    /// variant; <paramref name="planned"/> and <paramref name="points"/> are in the same order. Null: none.</summary>
    Lab.Reports.JourneySet? Follow(IReadOnlyList<PlannedPoint> planned, IReadOnlyList<Lab.Reports.PointResult> points) => null;
    /// <summary>Tables the report shows after its summary (e.g. a who-can-read matrix), from every finished point. Called once, after all runs.</summary>
    IReadOnlyList<Lab.Reports.ReportTable> Tables(IReadOnlyList<Lab.Reports.PointResult> points) => [];
}
