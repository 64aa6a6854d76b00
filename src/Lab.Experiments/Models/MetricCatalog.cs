using Lab.Consensus.Common;
using Lab.Ledger;
using Lab.Reports;
using Lab.Sim.Metrics;

namespace Lab.Experiments.Models;

/// <summary>
/// Every metric a run can produce, with what it means: what every run measures (<see cref="EveryRun"/>),
/// what every run of a chain protocol adds (<see cref="EveryChainRun"/>), and each model's own
/// (<see cref="IModel.Metrics"/>). <c>lab list metrics</c> prints it, and <c>lab validate</c> checks the
/// metrics a chart names against it, so the list must be complete: a test fails when a constant of a
/// <c>*Metrics</c> class is missing. A name may stand for a family: <c>commits.&lt;node&gt;</c>.
/// </summary>
public static class MetricCatalog
{
    /// <summary>What the kernel and the runner measure in every run, whatever the nodes run.</summary>
    public static readonly IReadOnlyList<MetricInfo> EveryRun =
    [
        new(KernelMetrics.EventsTotal, "events the kernel processed"),
        new(KernelMetrics.MessagesTotal, "messages sent"),
        new(KernelMetrics.BytesTotal, "bytes sent"),
        new(KernelMetrics.MessagesDropped, "messages lost to loss, partitions or crashed receivers"),
        new(KernelMetrics.CpuUtilisation, "mean over nodes of the share of time a node's CPU was busy, from the warm-up to the end (as every utilisation)"),
        new(KernelMetrics.SafetyViolations, "safety violations found (0 when safety held)"),
        // The per-node NICs: only runs whose network charges bandwidth report these.
        new(KernelMetrics.UplinkUtilisationMax, "the busiest node's uplink utilisation, 0 to 1 (runs with network bandwidth)"),
        new(KernelMetrics.UplinkQueueP99, "the largest per-node p99 of the wait for the sender's uplink, seconds (runs with network bandwidth)"),
        new(KernelMetrics.DownlinkUtilisationMax, "the busiest node's downlink utilisation, 0 to 1 (runs with network bandwidth)"),
        new(KernelMetrics.DownlinkQueueP99, "the largest per-node p99 of the wait for the receiver's downlink, seconds (runs with network bandwidth)"),
    ];

    /// <summary>
    /// What every run of a chain protocol (<see cref="IChainModel"/>) records: the standard set
    /// (<see cref="StandardMetrics.Descriptions"/>, one definition each) and the counters and series
    /// the shared client, ledger and checkers keep beside it.
    /// </summary>
    public static readonly IReadOnlyList<MetricInfo> EveryChainRun =
    [
        .. StandardMetrics.Descriptions.Where(d => EveryRun.All(e => e.Name != d.Name)).Select(d => new MetricInfo(d.Name, d.Description)),
        new(StandardMetrics.CommittedTx, "transactions clients saw final (counter; series per bin: throughput-over-time)"),
        new(StandardMetrics.SubmittedTx, "transactions clients submitted (counter; series per bin)"),
        new(StandardMetrics.CpuUtilisationNodePrefix + "<node>", "each replica's CPU utilisation, 0 to 1"),
        new(StandardMetrics.FirstViolationHeight, "height of the first safety or validity violation, when there is one"),
        new(StandardMetrics.FirstViolationTime, "virtual time of the first safety or validity violation"),
        new(StandardMetrics.ProtocolMessages, "replica-to-replica messages (counter)"),
        new(StandardMetrics.ProtocolBytes, "replica-to-replica bytes (counter)"),
        new(StandardMetrics.AppliedBlocks, "blocks replicas applied for the first time, summed over replicas (counter)"),
        new(StandardMetrics.AppliedTx, "transactions replicas applied for the first time, summed over replicas (counter)"),
        new(StandardMetrics.InvalidSignatures, "transactions whose signature did not verify at a replica (counter)"),
        new(LedgerMetrics.RejectedMessages, "messages replicas rejected: from a non-member, a bad signature, a wrong sender (counter)"),
        new(StandardMetrics.ClientRetries, "client resends after a timeout (counter)"),
        new(StandardMetrics.ClientRedirects, "client resends to the leader a follower named (counter)"),
        new(StandardMetrics.RejectedTx, "final transactions the state machine rejected (counter)"),
        new(StandardMetrics.AbandonedTx, "transactions a client gave up on after its last attempt (counter)"),
        new(StandardMetrics.LivenessViolations, "transactions submitted before the last fault ended and not final within expect.liveness of its end (only with expect.liveness)"),
    ];

    /// <summary>What the chain contract's words mean for charts and the headline (<c>latency-cdf</c>, <c>throughput-vs-nodes</c>).</summary>
    public static readonly IReadOnlyList<MetricWord> ChainWords =
    [
        new(MetricWord.Throughput, StandardMetrics.ThroughputTps),
        new(MetricWord.Latency, StandardMetrics.CommitLatency),
    ];

    /// <summary>Every metric a run of <paramref name="model"/> can produce.</summary>
    public static IReadOnlyList<MetricInfo> Of(IModel model) =>
        [.. EveryRun, .. model is IChainModel ? EveryChainRun : [], .. model.Metrics];

    /// <summary>The words <paramref name="model"/>'s metrics answer to: its own, then the chain contract's.</summary>
    public static IReadOnlyList<MetricWord> WordsOf(IModel model) =>
        [.. model.Words, .. model is IChainModel ? ChainWords : []];

    /// <summary>The models a point runs: its scenario or protocol, and the chain protocol a scenario runs on.</summary>
    public static IEnumerable<IModel> ModelsOf(PlannedPoint point) => new[] { point.Model, point.Protocol }.OfType<IModel>().Distinct();
}
