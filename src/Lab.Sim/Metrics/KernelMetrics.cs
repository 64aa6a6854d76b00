namespace Lab.Sim.Metrics;

/// <summary>
/// Names of the metrics the kernel itself measures in every run, whatever the nodes run. Each name
/// is defined here once; models and reports refer to these constants, never to the string.
/// </summary>
public static class KernelMetrics
{
    /// <summary>Events (messages and timers) the kernel handed to nodes.</summary>
    public const string EventsTotal = "events_total";
    /// <summary>Messages nodes sent to other nodes (a multicast to k nodes counts k).</summary>
    public const string MessagesTotal = "messages_total";
    /// <summary>Bytes nodes sent to other nodes.</summary>
    public const string BytesTotal = "bytes_total";
    /// <summary>Messages lost: to loss, partitions, crashed receivers.</summary>
    public const string MessagesDropped = "messages_dropped";
    /// <summary>Mean over nodes of the share of time a node's CPU was busy, 0 to 1 (from the warm-up to the end, as every
    /// utilisation here).</summary>
    public const string CpuUtilisation = "cpu_utilisation";
    /// <summary>The busiest node's CPU utilisation, 0 to 1 (chain models: the busiest replica).</summary>
    public const string CpuUtilisationMax = "cpu_utilisation_max";
    /// <summary>The busiest node's uplink utilisation, 0 to 1 (only where the network charges bandwidth).</summary>
    public const string UplinkUtilisationMax = "uplink_utilisation_max";
    /// <summary>The largest over nodes of each node's 99th percentile of the time a message waits for its sender's uplink behind earlier ones, seconds (scalar; named as <see cref="Quantile.Name"/> names the p99 of <c>uplink_queue_s</c>, whose samples are not kept).</summary>
    public const string UplinkQueueP99 = "uplink_queue_p99_s";
    /// <summary>The busiest node's downlink utilisation, 0 to 1 (only where the network charges bandwidth).</summary>
    public const string DownlinkUtilisationMax = "downlink_utilisation_max";
    /// <summary>The largest over nodes of each node's 99th percentile of how much later than on an idle downlink a message completes, seconds (scalar; named as <see cref="Quantile.Name"/> names the p99 of <c>downlink_queue_s</c>, whose samples are not kept).</summary>
    public const string DownlinkQueueP99 = "downlink_queue_p99_s";
    /// <summary>Safety violations of the run (0 when safety held): every run reports it, counted from the
    /// findings of kind <see cref="SafetyFinding"/> unless the model counts more (chain models: <c>StandardMetrics</c>).</summary>
    public const string SafetyViolations = "safety_violations";
    /// <summary>Finding kind of a safety violation (a note with its virtual time and what happened).</summary>
    public const string SafetyFinding = "safety";
}
