namespace Lab.Experiments.Models;

/// <summary>The metrics every consensus model reports (through <c>ChainWorld.Complete</c>).</summary>
public static class ChainMetrics
{
    public static IReadOnlyList<MetricInfo> All { get; } =
    [
        new("throughput_tps", "transactions clients saw final per second, after warm-up"),
        new("commit_latency_s", "submit → the client learns the transaction is final under the protocol's rule"),
        new("offered_tps", "mean offered load of the open-loop workload"),
        new("leader_elections", "leader elections (or view changes) won"),
        new("unavailable_s", "virtual time without a leader after warm-up"),
        new("messages_total", "messages sent"),
        new("bytes_total", "bytes sent"),
        new("safety_violations", "conflicting commits among honest replicas (must be 0 within tolerance)"),
        new("cpu_utilisation_max", "CPU utilisation of the busiest replica, 0 to 1"),
    ];
}
