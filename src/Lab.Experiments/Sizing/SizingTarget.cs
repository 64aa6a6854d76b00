using System.Globalization;
using Lab.Experiments.Verification;
using Lab.Reports.Statistics;
using Lab.Sim.Metrics;

namespace Lab.Experiments.Sizing;

/// <summary>
/// One requirement a sized load must meet, written <c>metric[.statistic] &lt;= bound</c> or <c>&gt;=</c>:
/// <c>commit_latency_s.p99&lt;=2s</c>, <c>unavailable_s&lt;=5s</c>, <c>goodput&gt;=0.95</c>.
/// <para>Each run gives one value: the statistic of that run's samples (a percentile, <c>mean</c>,
/// <c>min</c> or <c>max</c>) for a sample metric, or the run's value (as in <c>summary.json</c>) when no
/// statistic is written. Over the replications the values have a mean and a 95% Student-t interval;
/// a load <em>surely</em> meets the target when the whole interval is on the right side of the bound
/// (for <c>&lt;=</c>: its upper end), <em>by the mean</em> when the mean is, and <em>possibly</em> when
/// any of the interval is.</para>
/// </summary>
public sealed record SizingTarget(string Text, string Metric, Statistic? Statistic, bool AtMost, double Bound)
{
    /// <summary>Transactions final over transactions submitted, both counted over the measured window (after
    /// warm-up): a load is only sustained if it is served. Counting what the clients actually submitted, not the
    /// nominal rate, keeps a Poisson draw that happened to offer 3% less from reading as 3% unserved (at 1 tx/s
    /// a 7 s window holds 7 ± 2.6 arrivals). Without the submitted/committed series, <c>throughput_tps</c> / the
    /// load probed. Added as <c>goodput&gt;=0.95</c> unless a goodput target is given.</summary>
    public const string Goodput = "goodput";

    public static readonly SizingTarget DefaultGoodput = new("goodput>=0.95", Goodput, null, false, 0.95);

    /// <summary>Parses a target; on failure returns null and says why in <paramref name="error"/>.</summary>
    public static SizingTarget? Parse(string text, out string? error)
    {
        error = null;
        var t = text.Trim().Replace("≤", "<=").Replace("≥", ">=");
        var op = t.IndexOf("<=", StringComparison.Ordinal);
        var atMost = true;
        if (op < 0) { op = t.IndexOf(">=", StringComparison.Ordinal); atMost = false; }
        if (op <= 0)
        {
            error = $"'{text}': expected metric<=bound or metric>=bound, e.g. 'commit_latency_s.p99<=2s'";
            return null;
        }
        var left = t[..op].Trim();
        var (bound, problem, _) = Expression.Parse(t[(op + 2)..], allowMetrics: false);
        if (bound is null)
        {
            error = $"'{text}': the bound: {problem}";
            return null;
        }
        var metric = left;
        Statistic? statistic = null;
        // The statistic is what follows the first dot that leaves one (p99.9 has a dot of its own).
        for (var dot = left.IndexOf('.'); dot > 0; dot = left.IndexOf('.', dot + 1))
            if (Statistic.Parse(left[(dot + 1)..]) is { Kind: StatisticKind.Mean or StatisticKind.Min or StatisticKind.Max or StatisticKind.Percentile } s)
            {
                metric = left[..dot];
                statistic = s;
                break;
            }
        if (metric.Length == 0 || !metric.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            error = $"'{text}': '{metric}' is not a metric name";
            return null;
        }
        return new SizingTarget(t, metric, statistic, atMost, bound.Value);
    }

    /// <summary>This run's value of the target's metric (null: the run has none, e.g. no transaction committed).</summary>
    /// <param name="load">The offered load of the probe, for <see cref="Goodput"/>.</param>
    public double? RunValue(RunValues run, double load)
    {
        if (Metric == Goodput)
        {
            if (run.Values.TryGetValue(Goodput, out var measured)) return measured;
            return run.Values.TryGetValue(Lab.Consensus.Common.StandardMetrics.ThroughputTps, out var tps) && load > 0 ? tps / load : null;
        }
        if (Statistic is null) return run.Values.TryGetValue(Metric, out var v) ? v : null;
        if (!run.Samples.TryGetValue(Metric, out var samples) || samples.Length == 0)
            // A scalar metric has one value per run: its statistic within the run is that value.
            return run.Values.TryGetValue(Metric, out var only) && !run.Samples.ContainsKey(Metric) ? only : null;
        return Statistic.Kind switch
        {
            StatisticKind.Mean => RunValues.InOrderMean(samples),
            StatisticKind.Min => samples.Min(),
            StatisticKind.Max => samples.Max(),
            _ => Quantile.Of(samples, Statistic.P),
        };
    }

    /// <summary>How the replications' values stand against the bound: 3 surely meets, 2 meets by the mean,
    /// 1 possibly meets (only the favourable end of the interval), 0 fails (or some run has no value).</summary>
    public (int Level, double Mean, double Low, double High) Judge(IReadOnlyList<double?> perRun)
    {
        if (perRun.Count == 0 || perRun.Any(v => v is null or double.NaN)) return (0, double.NaN, double.NaN, double.NaN);
        var (mean, low, high) = MetricSummary.MeanWithInterval([.. perRun.Select(v => v!.Value)]);
        bool Meets(double x) => AtMost ? x <= Bound : x >= Bound;
        var level = Meets(AtMost ? high : low) ? 3 : Meets(mean) ? 2 : Meets(AtMost ? low : high) ? 1 : 0;
        return (level, mean, low, high);
    }

    /// <summary>For sentences: "p99 commit_latency_s ≤ 2 s".</summary>
    public string Describe()
    {
        var seconds = Lab.Reports.MetricLabels.IsSeconds(Metric);
        var bound = seconds ? Seconds(Bound) : Bound.ToString("0.###", CultureInfo.InvariantCulture);
        var what = Statistic is null ? Metric : $"{Statistic} {Metric}";
        return $"{what} {(AtMost ? "≤" : "≥")} {bound}";
    }

    private static string Seconds(double s) => s >= 1 || s == 0
        ? s.ToString("0.###", CultureInfo.InvariantCulture) + " s"
        : (s * 1000).ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
