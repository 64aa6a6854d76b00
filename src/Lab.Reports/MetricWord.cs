namespace Lab.Reports;

/// <summary>
/// A word that means one of a model's metrics, declared by the model: "latency" is
/// <c>commit_latency_s</c> on a chain and <c>rumour_latency_s</c> in gossip. Charts
/// (<c>latency-cdf</c>, <c>throughput-vs-nodes</c>), the headline table and the narrative read
/// these words instead of guessing from names.
/// </summary>
public sealed record MetricWord(string Word, string Metric)
{
    /// <summary>The model's main rate (a per-run value), e.g. <c>throughput_tps</c>.</summary>
    public const string Throughput = "throughput";
    /// <summary>The model's main delay (samples, seconds), e.g. <c>commit_latency_s</c>.</summary>
    public const string Latency = "latency";
    /// <summary>Time to settle a trade (samples, seconds), e.g. <c>settlement_time_s</c>.</summary>
    public const string Settlement = "settlement";

    /// <summary>The metrics <paramref name="word"/> means in <paramref name="words"/>, in order, each once.</summary>
    public static IReadOnlyList<string> Meanings(IEnumerable<MetricWord> words, string word) =>
        [.. words.Where(w => w.Word == word).Select(w => w.Metric).Distinct()];
}
