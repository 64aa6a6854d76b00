using System.Globalization;
using Lab.Reports.Statistics;
using Lab.Sim.Kernel;

namespace Lab.Reports.Charts;

/// <summary>The charts made for an experiment, and why any requested chart was not made.</summary>
public sealed record ChartSet(IReadOnlyList<ChartImage> Charts, IReadOnlyList<string> Skipped);

/// <summary>
/// Turns chart names (<c>outputs.charts</c>) into charts of an experiment's results. Names:
/// <list type="bullet">
/// <item><c>throughput-over-time</c>: rate of <c>committed_tx</c> (or another counted series) per second, fault windows shaded.</item>
/// <item><c>latency-cdf</c>, <c>&lt;metric&gt;-cdf</c>: CDF of a sample metric per point.</item>
/// <item><c>settlement-time</c>: CDF of <c>settlement_time_s</c> per variant on a log time axis (1 s … 1 d).</item>
/// <item><c>&lt;metric&gt;[-p50|-p90|-p99|-max|-mean]-vs-&lt;axis&gt;</c>: a sweep chart, e.g. <c>throughput-vs-nodes</c>,
/// <c>latency-p99-vs-nodes</c>; one line per variant, 95% CI band for means.</item>
/// <item><c>&lt;series&gt;-over-time</c>, <c>exposure</c>: a series over time (bin values as recorded).</item>
/// <item><c>&lt;metric&gt;-per-node</c>, <c>commits-per-node</c>, <c>cpu-per-node</c>: bars per node or member, from
/// metrics named <c>&lt;metric&gt;.&lt;node&gt;</c> (CPU from the kernel).</item>
/// <item><c>&lt;prefix&gt;-timeline</c>, e.g. <c>trade-timeline</c>: the first items from samples <c>&lt;prefix&gt;_start_s</c>
/// to <c>&lt;prefix&gt;_end_s</c> (recorded in pairs by the same node), one group per variant.</item>
/// <item><c>liquidity</c> (or any <c>&lt;prefix&gt;-bars</c>): bars of the metrics starting with the prefix, e.g.
/// <c>liquidity_needed_gross.m01</c> and <c>liquidity_needed_net.m01</c> give gross vs net per member.</item>
/// </list>
/// Metric and axis words match loosely (exact name, then prefix, then substring; "-" reads as "_").
/// An unknown name or one the results cannot feed is skipped with a reason, never an exception.
/// </summary>
public static class ChartCatalog
{
    /// <summary>The chart names (and patterns) this catalog understands, for help texts.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "throughput-over-time", "latency-cdf", "settlement-time", "exposure", "liquidity", "commits-per-node",
        "cpu-per-node", "<metric>-over-time", "<metric>-cdf", "<metric>[-p50|-p90|-p99|-max|-mean]-vs-<axis>",
        "<metric>-per-node", "<prefix>-bars", "<prefix>-timeline",
    ];

    /// <summary>At most this many lines per chart (points beyond are left out and said so in the caption).</summary>
    public const int MaxLines = 8;

    /// <summary>At most this many points per time-series line (longer series are averaged over runs of bins).</summary>
    public const int MaxPointsPerSeries = 1_500;

    private static readonly string[] Stats = ["mean", "p50", "p90", "p99", "max"];

    // Chart names become file names: nothing that could leave the charts folder.
    private static readonly System.Text.RegularExpressions.Regex ValidName =
        new("^[a-z0-9][a-z0-9_-]*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    // ScottPlot shares font and typeface caches between plots; reports written from parallel runs draw one chart at a time.
    private static readonly Lock Drawing = new();

    public static ChartSet Build(ExperimentResult result, ExperimentSummary summary)
    {
        lock (Drawing) return BuildAll(result, summary);
    }

    private static ChartSet BuildAll(ExperimentResult result, ExperimentSummary summary)
    {
        var names = result.Charts.Count > 0 ? result.Charts : DefaultNames(result, summary);
        var charts = new List<ChartImage>();
        var skipped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in names)
        {
            var name = raw.Trim().ToLowerInvariant();
            if (!seen.Add(name)) continue;
            if (!ValidName.IsMatch(name))
            {
                skipped.Add($"{raw}: not a chart name (letters, digits and '-' only)");
                continue;
            }
            try
            {
                var chart = BuildOne(name, result, summary, out var why);
                if (chart is not null) charts.Add(chart);
                else skipped.Add($"{raw}: {why}");
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                // A chart must never take the results down with it: report the reason instead.
                skipped.Add($"{raw}: could not be drawn ({e.Message})");
            }
        }
        return new ChartSet(charts, skipped);
    }

    /// <summary>Sensible charts for the metrics present, when the experiment asked for none.</summary>
    public static IReadOnlyList<string> DefaultNames(ExperimentResult result, ExperimentSummary summary)
    {
        var names = new List<string>();
        var metrics = AllMetrics(summary);
        var samples = AllSampleMetrics(summary);
        if (ThroughputSeries(result) is not null) names.Add("throughput-over-time");
        if (MatchMetric("latency", samples) is not null) names.Add("latency-cdf");
        if (MatchMetric("settlement", samples) is not null) names.Add("settlement-time");
        if (MatchSeries("exposure", result) is not null) names.Add("exposure");
        if (metrics.Any(m => m.StartsWith("liquidity", StringComparison.Ordinal))) names.Add("liquidity");
        if (samples.Contains("trade_start_s") && samples.Contains("trade_end_s")) names.Add("trade-timeline");
        foreach (var axis in result.SweepAxes)
        {
            var shortAxis = PointSummary.ShortKey(axis).Replace('_', '-');
            if (MatchMetric("throughput", metrics) is not null) names.Add($"throughput-vs-{shortAxis}");
            if (MatchMetric("latency", samples) is not null) names.Add($"latency-p99-vs-{shortAxis}");
            if (MatchMetric("settlement", samples) is not null) names.Add($"settlement-p99-vs-{shortAxis}");
        }
        if (names.Count == 0 && result.Points.Any(p => p.Replications.Any(r => r.Stats.CpuUtilisation.Count > 0)))
            names.Add("cpu-per-node");
        return names;
    }

    private static ChartImage? BuildOne(string name, ExperimentResult result, ExperimentSummary summary, out string why)
    {
        why = "";
        var vs = name.IndexOf("-vs-", StringComparison.Ordinal);
        if (vs > 0) return Sweep(name, name[..vs], name[(vs + 4)..], result, summary, out why);
        switch (name)
        {
            case "throughput-over-time": return ThroughputOverTime(name, result, out why);
            case "latency-cdf": return Cdf(name, "latency", result, summary, logTime: null, out why);
            case "settlement-time": return Cdf(name, "settlement", result, summary, logTime: true, out why);
            case "exposure": return OverTime(name, "exposure", result, out why);
            case "liquidity": return PrefixBars(name, "liquidity", result, summary, out why);
            case "cpu-per-node": return CpuPerNode(name, result, out why);
        }
        if (name.EndsWith("-over-time", StringComparison.Ordinal)) return OverTime(name, name[..^"-over-time".Length], result, out why);
        if (name.EndsWith("-cdf", StringComparison.Ordinal)) return Cdf(name, name[..^"-cdf".Length], result, summary, logTime: null, out why);
        if (name.EndsWith("-per-node", StringComparison.Ordinal)) return PerEntity(name, name[..^"-per-node".Length], summary, out why);
        if (name.EndsWith("-timeline", StringComparison.Ordinal)) return Timeline(name, name[..^"-timeline".Length], result, out why);
        if (name.EndsWith("-bars", StringComparison.Ordinal)) return PrefixBars(name, name[..^"-bars".Length], result, summary, out why);
        why = $"no chart of that name (known: {string.Join(", ", Names)})";
        return null;
    }

    // ---- time series ------------------------------------------------------------------------------

    private static string? ThroughputSeries(ExperimentResult result)
    {
        var present = result.Points.SelectMany(p => p.Replications).SelectMany(r => r.Metrics.Series.Keys).ToHashSet(StringComparer.Ordinal);
        foreach (var (series, _) in RunValues.DerivedRates)
            if (present.Contains(series)) return series;
        return present.Order(StringComparer.Ordinal).FirstOrDefault();
    }

    private static ChartImage? ThroughputOverTime(string name, ExperimentResult result, out string why)
    {
        var series = ThroughputSeries(result);
        if (series is null) { why = "no time series were recorded"; return null; }
        why = "";
        var rateName = RunValues.DerivedRates.FirstOrDefault(d => d.Series == series).Metric;
        var yLabel = series == "committed_tx" ? "Throughput (tx/s)" : $"{series} per second";
        return SeriesChart(name, "Throughput over time", yLabel, series, result, perSecond: true,
            $"{(rateName is null ? series : rateName)}: {series} per series bin divided by the bin length");
    }

    private static ChartImage? OverTime(string name, string token, ExperimentResult result, out string why)
    {
        var series = MatchSeries(token, result);
        if (series is null) { why = $"no series matching '{token}' was recorded"; return null; }
        why = "";
        return SeriesChart(name, $"{Humanise(series)} over time", series, series, result, perSecond: false,
            $"{series}: value recorded in each series bin");
    }

    private static ChartImage SeriesChart(string name, string title, string yLabel, string series, ExperimentResult result,
        bool perSecond, string what)
    {
        var points = Plotted(result.Points, out var omitted);
        var lines = new List<ChartLine>();
        var faults = new List<ShadedWindow>();
        var binSeconds = 0.0;
        var drawnBin = 0.0;
        foreach (var (point, label) in points)
        {
            var runs = point.Replications.Where(r => r.Metrics.Series.ContainsKey(series)).ToList();
            if (runs.Count == 0) continue;
            binSeconds = runs[0].Metrics.SeriesBin.TotalSeconds;
            // A bin that starts at or after the run's end holds nothing but looks like a collapse to zero: leave it out.
            int Bins(ReplicationResult r) => (int)Math.Min(r.Metrics.Series[series].Length, Math.Ceiling(r.Stats.FinalTime.Seconds / binSeconds - 1e-9));
            var length = runs.Max(Bins);
            var xs = new double[length];
            var ys = new double[length];
            for (int i = 0; i < length; i++)
            {
                // Mean over the replications that reached this bin.
                var values = runs.Where(r => Bins(r) > i).Select(r => r.Metrics.Series[series][i]).ToList();
                xs[i] = i * binSeconds;
                ys[i] = values.Average() / (perSecond && binSeconds > 0 ? binSeconds : 1);
            }
            // A week in 1 s bins is 604,800 points: average runs of bins so a line has at most MaxPointsPerSeries.
            var group = (int)Math.Ceiling(length / (double)MaxPointsPerSeries);
            if (group > 1)
            {
                xs = Enumerable.Range(0, (length + group - 1) / group).Select(j => j * group * binSeconds).ToArray();
                ys = Enumerable.Range(0, xs.Length).Select(j => ys.Skip(j * group).Take(group).Average()).ToArray();
                drawnBin = Math.Max(drawnBin, group * binSeconds);
            }
            lines.Add(new ChartLine(label, xs, ys));
            faults.AddRange(FaultsOf(point.Replications[0].Stats));
        }
        var shaded = faults.DistinctBy(f => (f.StartSeconds, f.EndSeconds, f.Label)).OrderBy(f => f.StartSeconds).ToList();
        var caption = $"{what} (bins of {TimeAxis.Humanise(binSeconds)}), mean over each point's replications"
            + (drawnBin > binSeconds ? $", averaged over {TimeAxis.Humanise(drawnBin)} for drawing." : ".")
            + (shaded.Count > 0 ? " Shaded: " + string.Join("; ", shaded.Select(f => $"{f.Label} at {TimeAxis.Humanise(f.StartSeconds)}" + (f.EndSeconds is { } e ? $" until {TimeAxis.Humanise(e)}" : ""))) + "." : "")
            + Omitted(omitted);
        return TimeSeriesChart.Build(name, title, yLabel, lines, shaded, caption);
    }

    private static IEnumerable<ShadedWindow> FaultsOf(RunStats stats) =>
        stats.Faults.Select(f => new ShadedWindow(f.Start.Seconds, f.End?.Seconds, f.Description));

    private static string? MatchSeries(string token, ExperimentResult result) =>
        MatchMetric(token, result.Points.SelectMany(p => p.Replications).SelectMany(r => r.Metrics.Series.Keys).ToHashSet(StringComparer.Ordinal));

    // ---- distributions ----------------------------------------------------------------------------

    private static ChartImage? Cdf(string name, string token, ExperimentResult result, ExperimentSummary summary, bool? logTime, out string why)
    {
        var metric = MatchMetric(token, AllSampleMetrics(summary));
        if (metric is null) { why = $"no sample metric matching '{token}' was recorded"; return null; }
        why = "";
        var groups = new List<ChartDistribution>();
        // One line per variant when there is no sweep; per point otherwise.
        var byVariant = result.SweepAxes.Count == 0;
        var omitted = 0;
        if (byVariant)
        {
            foreach (var variant in result.Points.Select(p => p.Variant).Distinct())
                groups.Add(new ChartDistribution(variant, PooledSamples(result.Points.Where(p => p.Variant == variant), metric)));
            omitted = Math.Max(0, groups.Count - MaxLines);
            groups = groups.Take(MaxLines).ToList();
        }
        else
            foreach (var (point, label) in Plotted(result.Points, out omitted))
                groups.Add(new ChartDistribution(label, PooledSamples([point], metric)));
        groups = groups.Where(g => g.Values.Count > 0).ToList();

        var all = groups.SelectMany(g => g.Values).Where(v => v > 0).ToList();
        var isTime = IsSeconds(metric);
        // Long-tailed times (max ≥ 1000 × min) read better on a log axis.
        var log = logTime ?? (isTime && all.Count > 0 && all.Max() >= 1000 * all.Min());
        string xLabel;
        if (log) xLabel = $"{Words(metric)} (log scale)";
        else if (isTime)
        {
            var (unit, unitName) = TimeAxis.LinearUnit(all.DefaultIfEmpty(0).Max());
            groups = groups.Select(g => new ChartDistribution(g.Label, g.Values.Select(v => v / unit).ToList())).ToList();
            xLabel = $"{Words(metric)} ({unitName})";
        }
        else xLabel = metric;
        var title = token == "settlement" ? "Settlement time" : $"{Words(metric)}: cumulative distribution";
        var caption = $"Empirical CDF of {metric}, all samples of all replications pooled per line"
            + (log ? "; logarithmic time axis." : ".") + Omitted(omitted);
        return DistributionChart.Cdf(name, title, xLabel, groups, log, caption);
    }

    private static List<double> PooledSamples(IEnumerable<PointResult> points, string metric) =>
        points.SelectMany(p => p.Replications)
            .SelectMany(r => r.Metrics.Samples.TryGetValue(metric, out var s) ? s : []).ToList();

    // ---- sweeps -----------------------------------------------------------------------------------

    private static ChartImage? Sweep(string name, string metricToken, string axisToken, ExperimentResult result, ExperimentSummary summary, out string why)
    {
        var stat = "mean";
        foreach (var s in Stats)
            if (metricToken.EndsWith("-" + s, StringComparison.Ordinal)) { stat = s; metricToken = metricToken[..^(s.Length + 1)]; break; }
        var axis = MatchAxis(axisToken, result.SweepAxes);
        if (axis is null) { why = result.SweepAxes.Count == 0 ? "the experiment has no sweep" : $"no sweep axis matching '{axisToken}' (axes: {string.Join(", ", result.SweepAxes)})"; return null; }
        var metric = stat == "mean" ? MatchMetric(metricToken, AllMetrics(summary)) : MatchMetric(metricToken, AllSampleMetrics(summary)) ?? MatchMetric(metricToken, AllMetrics(summary));
        if (metric is null) { why = $"no metric matching '{metricToken}'"; return null; }
        var values = summary.Points.Select(p => p.Parameter(axis)).OfType<string>().Distinct().ToList();
        if (values.Count < 2) { why = $"the sweep over {axis} has fewer than two values"; return null; }
        why = "";

        var numeric = values.Select(ParseLeadingNumber).ToList();
        // Numeric only when every value has the same unit after its number ("250ms" and "1s" do not compare as 250 and 1).
        var units = values.Select(v => v.Trim()[LeadingNumber.Match(v.Trim()).Length..].Trim()).Distinct().Count();
        var isNumeric = units == 1 && numeric.All(v => v is not null) && numeric.Distinct().Count() == numeric.Count;
        var order = isNumeric ? values.OrderBy(v => ParseLeadingNumber(v)!.Value).ToList() : values;
        double Position(string v) => isNumeric ? ParseLeadingNumber(v)!.Value : order.IndexOf(v);

        // One line per variant and per combination of the other axes.
        var groups = summary.Points
            .Where(p => p.Metrics.ContainsKey(metric) && p.Parameter(axis) is not null)
            .GroupBy(p => p.Variant + string.Concat(p.Parameters.Where(kv => kv.Key != axis).Select(kv => $", {PointSummary.ShortKey(kv.Key)}={kv.Value}")))
            .ToList();
        var lines = new List<ChartLine>();
        foreach (var g in groups.Take(MaxLines))
        {
            var pts = g.OrderBy(p => Position(p.Parameter(axis)!)).ToList();
            var xs = pts.Select(p => Position(p.Parameter(axis)!)).ToArray();
            var ms = pts.Select(p => p.Metrics[metric]).ToList();
            var ys = ms.Select(m => Stat(m, stat)).ToArray();
            lines.Add(stat == "mean"
                ? new ChartLine(g.Key, xs, ys, ms.Select(m => m.Ci95Low).ToArray(), ms.Select(m => m.Ci95High).ToArray())
                : new ChartLine(g.Key, xs, ys));
        }
        var statText = stat == "mean" ? "mean" : stat;
        var title = $"{Words(metric)} ({statText}) vs {PointSummary.ShortKey(axis)}";
        var caption = $"{metric}, {statText} per point"
            + (stat == "mean" ? ", shaded: 95% confidence interval across replications (Student t)." : ", over all pooled samples.")
            + Omitted(Math.Max(0, groups.Count - MaxLines));
        return SweepChart.Build(name, title, axis, $"{metric} ({statText})", lines, isNumeric ? null : order, caption);
    }

    private static double Stat(MetricSummary m, string stat) => stat switch
    {
        "p50" => m.P50,
        "p90" => m.P90,
        "p99" => m.P99,
        "max" => m.Max,
        _ => m.Mean,
    };

    private static readonly System.Text.RegularExpressions.Regex LeadingNumber =
        new(@"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>"16" → 16, "2000/s" → 2000, "250ms" → 250; null when the text does not start with a number.</summary>
    private static double? ParseLeadingNumber(string text)
    {
        var m = LeadingNumber.Match(text.Trim());
        return m.Success && double.TryParse(m.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    private static string? MatchAxis(string token, IReadOnlyList<string> axes)
    {
        var t = token.Replace('-', '_');
        // Keys are written with '-' (settlement.netting-window): try the token as written, then with '_'.
        return axes.FirstOrDefault(a => a == token || a == t)
            ?? axes.FirstOrDefault(a => PointSummary.ShortKey(a) == token || PointSummary.ShortKey(a) == t)
            ?? axes.FirstOrDefault(a => a.Contains(token, StringComparison.Ordinal) || a.Contains(t, StringComparison.Ordinal));
    }

    // ---- timelines --------------------------------------------------------------------------------

    /// <summary>Items drawn per group on a timeline chart.</summary>
    public const int TimelineItems = 30;

    private static ChartImage? Timeline(string name, string token, ExperimentResult result, out string why)
    {
        var p = token.Replace('-', '_');
        string start = $"{p}_start_s", end = $"{p}_end_s";
        var groups = new List<TimelineGroup>();
        foreach (var variant in result.Points.Select(x => x.Variant).Distinct().Take(MaxLines))
        {
            // The first replication of the variant's first point: the same seed, so the same trades, in every variant.
            var run = result.Points.First(x => x.Variant == variant).Replications.FirstOrDefault();
            if (run is null || !run.Metrics.Samples.TryGetValue(start, out var s) || !run.Metrics.Samples.TryGetValue(end, out var e)) continue;
            var items = Enumerable.Range(0, Math.Min(Math.Min(s.Length, e.Length), TimelineItems)).Select(i => new TimelineItem(s[i], e[i])).ToList();
            if (items.Count > 0) groups.Add(new TimelineGroup(variant, items));
        }
        if (groups.Count == 0) { why = $"no paired samples {start} and {end} were recorded"; return null; }
        why = "";
        return TimelineChart.Build(name, $"{Words(p)} timeline", groups,
            $"The first {TimelineItems} items of the first replication per variant, from {start} to {end} (samples recorded in pairs).");
    }

    // ---- bars -------------------------------------------------------------------------------------

    private static ChartImage? PerEntity(string name, string token, ExperimentSummary summary, out string why)
    {
        var t = token.Replace('-', '_');
        var metrics = AllMetrics(summary).Where(m => m.Contains('.')).ToList();
        var bases = metrics.Select(m => m[..m.IndexOf('.')]).Distinct().ToHashSet(StringComparer.Ordinal);
        var baseName = MatchMetric(t, bases);
        if (baseName is null) { why = $"no per-node metric matching '{token}' (per-node metrics are named <metric>.<node>)"; return null; }
        why = "";
        var entities = metrics.Where(m => m.StartsWith(baseName + ".", StringComparison.Ordinal)).Select(m => m[(baseName.Length + 1)..]).Distinct().ToList();
        var points = summary.Points.Take(MaxLines).ToList();
        var groups = points.Select(p => new BarGroup(p.Label,
            entities.Select(e => p.Metrics.TryGetValue($"{baseName}.{e}", out var m) ? m.Mean : 0).ToArray())).ToList();
        return BarChart.Grouped(name, $"{Humanise(baseName)} per node", baseName, entities, groups,
            $"{baseName}.<node>, mean over replications." + Omitted(Math.Max(0, summary.Points.Count - MaxLines)));
    }

    private static ChartImage? PrefixBars(string name, string prefix, ExperimentResult result, ExperimentSummary summary, out string why)
    {
        var p = prefix.Replace('-', '_');
        var metrics = AllMetrics(summary).Where(m => m.StartsWith(p, StringComparison.Ordinal)).ToList();
        if (metrics.Count == 0) { why = $"no metric starting with '{p}'"; return null; }
        why = "";
        var perEntity = metrics.Where(m => m.Contains('.')).ToList();
        var title = Humanise(p);
        if (perEntity.Count > 0)
        {
            // Categories are the entities (members), groups are the base metrics (gross, net) per variant.
            var bases = perEntity.Select(m => m[..m.IndexOf('.')]).Distinct().ToList();
            var entities = perEntity.Select(m => m[(m.IndexOf('.') + 1)..]).Distinct().ToList();
            var variants = summary.Points.Select(x => x.Variant).Distinct().ToList();
            var groups = new List<BarGroup>();
            foreach (var variant in variants)
            {
                var point = summary.Points.First(x => x.Variant == variant);
                foreach (var b in bases)
                    if (entities.Any(e => point.Metrics.ContainsKey($"{b}.{e}")))
                        groups.Add(new BarGroup(variants.Count > 1 ? $"{variant}: {b}" : b,
                            entities.Select(e => point.Metrics.TryGetValue($"{b}.{e}", out var m) ? m.Mean : 0).ToArray()));
            }
            return BarChart.Grouped(name, $"{title} per member", p, entities, groups.Take(MaxLines).ToList(),
                $"{string.Join(", ", bases)} per member (<metric>.<member>), mean over replications; first sweep point of each variant."
                + Omitted(Math.Max(0, groups.Count - MaxLines)));
        }
        var points = summary.Points.Take(MaxLines).ToList();
        var barGroups = metrics.Select(m => new BarGroup(m, points.Select(x => x.Metrics.TryGetValue(m, out var s) ? s.Mean : 0).ToArray())).ToList();
        return BarChart.Grouped(name, title, p, points.Select(x => x.Label).ToList(), barGroups.Take(MaxLines).ToList(),
            $"{string.Join(", ", metrics)}, mean over replications." + Omitted(Math.Max(0, summary.Points.Count - MaxLines)));
    }

    private static ChartImage? CpuPerNode(string name, ExperimentResult result, out string why)
    {
        var points = Plotted(result.Points, out var omitted).Where(x => x.Point.Replications.Count > 0 && x.Point.Replications[0].Stats.CpuUtilisation.Count > 0).ToList();
        if (points.Count == 0) { why = "the kernel recorded no CPU utilisation"; return null; }
        why = "";
        var first = points[0].Point.Replications[0];
        var count = first.Stats.CpuUtilisation.Count;
        var names = Enumerable.Range(0, count).Select(i => i < first.Nodes.Count ? first.Nodes[i].Name : $"node {i}").ToList();
        var groups = points.Select(x => new BarGroup(x.Label, Enumerable.Range(0, count)
            .Select(i => x.Point.Replications.Where(r => r.Stats.CpuUtilisation.Count > i).Select(r => r.Stats.CpuUtilisation[i]).DefaultIfEmpty(0).Average() * 100).ToArray())).ToList();
        return BarChart.Grouped(name, "CPU utilisation per node", "CPU busy (%)", names, groups,
            "Share of virtual time each node spent processing (ChargeCpu), mean over replications." + Omitted(omitted));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /// <summary>Points to draw (at most <see cref="MaxLines"/>) with their labels; labels drop the variant when there is only one.</summary>
    private static List<(PointResult Point, string Label)> Plotted(IReadOnlyList<PointResult> points, out int omitted)
    {
        omitted = Math.Max(0, points.Count - MaxLines);
        var oneVariant = points.Select(p => p.Variant).Distinct().Count() == 1;
        return points.Take(MaxLines).Select(p =>
        {
            var parameters = string.Join(", ", p.Parameters.Select(kv => $"{PointSummary.ShortKey(kv.Key)}={kv.Value}"));
            var label = parameters.Length == 0 ? p.Variant : oneVariant ? parameters : $"{p.Variant}, {parameters}";
            return (p, label);
        }).ToList();
    }

    private static string Omitted(int omitted) => omitted > 0 ? $" {omitted} more point(s) not drawn." : "";

    private static SortedSet<string> AllMetrics(ExperimentSummary s) =>
        new(s.Points.SelectMany(p => p.Metrics.Keys), StringComparer.Ordinal);

    private static SortedSet<string> AllSampleMetrics(ExperimentSummary s) =>
        new(s.Points.SelectMany(p => p.SampleMetrics), StringComparer.Ordinal);

    /// <summary>Well-known names first, so "latency" means commit latency when several latencies exist.</summary>
    private static readonly string[] Preferred = ["commit_latency_s", "throughput_tps", "settlement_time_s", "committed_tx"];

    /// <summary>The metric a loose word means: exact name, else a preferred name containing it, else prefix, else substring (ordinal order).</summary>
    public static string? MatchMetric(string token, IReadOnlySet<string> names)
    {
        var t = token.Replace('-', '_');
        if (names.Contains(t)) return t;
        var sorted = names.Order(StringComparer.Ordinal).ToList();
        return Preferred.FirstOrDefault(p => names.Contains(p) && p.Contains(t, StringComparison.Ordinal))
            ?? sorted.FirstOrDefault(n => n.StartsWith(t, StringComparison.Ordinal))
            ?? sorted.FirstOrDefault(n => n.Contains(t, StringComparison.Ordinal))
            // "throughput" of a model without tx: its derived rate (e.g. rumours_heard_per_s).
            ?? (t == "throughput" ? RunValues.DerivedRates.Select(d => d.Metric).FirstOrDefault(names.Contains) : null);
    }

    /// <summary>Whether a metric is a time in seconds (<c>_s</c>, not <c>_per_s</c>).</summary>
    public static bool IsSeconds(string metric) =>
        metric.EndsWith("_s", StringComparison.Ordinal) && !metric.EndsWith("_per_s", StringComparison.Ordinal);

    /// <summary>"commit_latency_s" → "Commit latency", "rumours_heard_per_s" → "Rumours heard": for labels whose values already carry their time unit.</summary>
    public static string Words(string metric)
    {
        foreach (var suffix in new[] { "_per_s", "_tps", "_ms", "_s" })
            if (metric.EndsWith(suffix, StringComparison.Ordinal)) return Humanise(metric[..^suffix.Length]);
        return Humanise(metric);
    }

    /// <summary>"commit_latency_s" → "Commit latency (s)" for titles.</summary>
    public static string Humanise(string metric)
    {
        var unit = "";
        foreach (var (suffix, text) in new[] { ("_per_s", "per s"), ("_tps", "tx/s"), ("_ms", "ms"), ("_s", "s") })
            if (metric.EndsWith(suffix, StringComparison.Ordinal)) { unit = text; metric = metric[..^suffix.Length]; break; }
        var words = metric.Replace('_', ' ').Replace('.', ' ');
        if (words.Length > 0) words = char.ToUpperInvariant(words[0]) + words[1..];
        return unit.Length > 0 ? $"{words} ({unit})" : words;
    }
}
