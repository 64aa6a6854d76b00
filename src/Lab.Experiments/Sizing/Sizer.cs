using System.Collections.Concurrent;
using System.Globalization;
using Lab.Consensus.Common;
using Lab.Experiments.Faults;
using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Reports;
using Lab.Reports.Statistics;
using Lab.Sim.Metrics;

namespace Lab.Experiments.Sizing;

/// <summary>
/// <c>lab size</c>: for every point of an experiment's sweep (variant × sweep point), the largest value
/// of a load key (normally <c>workload.rate</c>) that meets every target, found by <see cref="LoadSearch"/>.
/// <para>A probe of load L at a point runs that point's replications with <c>--set key=L</c> added to the
/// experiment's own overrides: the same file, seeds and runs as <c>lab run FILE --set key=L</c> would make,
/// so every probe can be reproduced alone. All points move in rounds, and each round's probes are one
/// batch of runs on an <see cref="IRunExecutor"/> (this machine's threads or a cluster's workers).</para>
/// </summary>
public sealed class Sizer(ExperimentLoader loader)
{
    /// <summary>A resource at or above this utilisation at the knee counts as saturated.</summary>
    public const double Saturated = 0.9;

    /// <summary>Metrics that measure a resource's utilisation (0 to 1), with how a sentence names the resource.
    /// CPU is per node (<see cref="StandardMetrics.CpuUtilisationNodePrefix"/> names the busiest one).</summary>
    private static readonly (string Metric, string Resource)[] LinkUtilisations =
    [
        // Written by the kernel where the network charges bandwidth (the NIC model); absent otherwise.
        ("uplink_utilisation_max", "the busiest node's uplink"),
        ("downlink_utilisation_max", "the busiest node's downlink"),
    ];

    /// <summary>Loads the experiment, checks the load key and targets; null (with the problems in <paramref name="d"/>) if it cannot be sized.</summary>
    public Experiment? Prepare(string file, IReadOnlyList<string> overrides, string loadKey, Diagnostics d)
    {
        var experiment = loader.Load(file, overrides, d);
        if (experiment is null) return null;
        var mark = new Yaml.SourceMark("--load " + loadKey, 1, 1);
        var key = loader.Schema.Leaf(loadKey);
        if (key is null || (key.Type != KeyType.RateType && key.Type != KeyType.Integer))
        {
            d.Error(mark, loadKey, key is null ? "no such key" : $"a load is a rate (e.g. workload.rate) or a whole number (e.g. workload.outstanding), not {key.Type.Name}");
            return null;
        }
        foreach (var p in experiment.Points)
            if (p.Config.Entry(loadKey) is { Origin: "variant" or "sweep" } e)
            {
                d.Error(e.Node.Mark, loadKey, $"the {e.Origin} '{p.Label}' sets the load that lab size searches; sweep anything else, but not the load");
                return null;
            }
        return experiment;
    }

    /// <summary>Sizes every point of <paramref name="experiment"/> (from <see cref="Prepare"/>).</summary>
    /// <param name="log">Told one line per round.</param>
    public SizingResult Run(Experiment experiment, string loadKey, IReadOnlyList<SizingTarget> targets, Func<PlannedPoint, SearchOptions> options,
        IRunExecutor executor, IRunProgress? progress, Action<string>? log, CancellationToken cancel)
    {
        var isRate = loader.Schema.Leaf(loadKey)!.Type == KeyType.RateType;
        if (isRate && !targets.Any(t => t.Metric == SizingTarget.Goodput)) targets = [.. targets, SizingTarget.DefaultGoodput];
        var points = experiment.Points;
        var searches = points.Select(p => new LoadSearch(options(p))).ToArray();
        var probes = points.Select(_ => new List<Probe>()).ToArray();
        var experiments = new Dictionary<double, Experiment>();
        var runs = 0;
        for (int round = 1; ; round++)
        {
            var asked = new List<(int Point, double Load)>();
            for (int i = 0; i < points.Count; i++)
                if (searches[i].Next() is { } load) asked.Add((i, load));
            if (asked.Count == 0) break;
            var found = Evaluate(experiment, loadKey, isRate, targets, asked, experiments, executor, progress, cancel);
            runs += asked.Count * experiment.Replications;
            foreach (var p in found)
            {
                searches[p.Point].Record(p.Load, p.Level);
                probes[p.Point].Add(p);
            }
            log?.Invoke($"round {round}: {asked.Count} point(s) probed, {asked.Count * experiment.Replications} run(s); {runs} run(s) so far");
        }
        var rows = new List<SizingRow>();
        for (int i = 0; i < points.Count; i++)
        {
            var outcome = searches[i].Outcome();
            var sorted = probes[i].OrderBy(p => p.Load).ToList();
            rows.Add(new SizingRow(points[i], Describe(points[i]), outcome, sorted, BindingAt(sorted, outcome, loadKey, points[i].Config)));
        }
        return new SizingResult(experiment, loadKey, isRate ? "tx/s" : "", targets, options(points[0]), rows, runs);
    }

    /// <summary>The start of a point's search: its own value of the load key (for <c>workload.rate</c>, the rate its arrivals offer).</summary>
    public static double StartOf(PlannedPoint point, string loadKey) => loadKey == "workload.rate"
        ? ChainConfig.OfferedRate(point.Config, 1000)
        : point.Config.Entry(loadKey)?.Value switch
        {
            Values.Rate r => r.PerSecond,
            long n => n,
            _ => 1,
        };

    /// <summary>The experiment with the load key set to <paramref name="load"/>, loaded as <c>lab run</c> would load it.</summary>
    private Experiment At(Experiment experiment, string loadKey, bool isRate, double load, Dictionary<double, Experiment> cache)
    {
        if (cache.TryGetValue(load, out var e)) return e;
        var value = isRate ? Values(load) + "/s" : ((long)load).ToString(CultureInfo.InvariantCulture);
        var d = new Diagnostics();
        e = loader.Load(experiment.File, [.. experiment.Overrides, $"{loadKey}={value}"], d)
            ?? throw new InvalidOperationException($"{loadKey}={value} makes the experiment invalid: {string.Join("; ", d.Errors)}");
        if (e.Points.Count != experiment.Points.Count) throw new InvalidOperationException($"{loadKey}={value} changes the experiment's points");
        return cache[load] = e;
    }

    private static string Values(double load) => load.ToString("R", CultureInfo.InvariantCulture);

    private List<Probe> Evaluate(Experiment experiment, string loadKey, bool isRate, IReadOnlyList<SizingTarget> targets, List<(int Point, double Load)> asked,
        Dictionary<double, Experiment> cache, IRunExecutor executor, IRunProgress? progress, CancellationToken cancel)
    {
        var n = experiment.Replications;
        var jobs = new List<RunJob>();
        var probeOf = new Dictionary<RunJob, int>();
        foreach (var (i, (point, load)) in asked.Index())
        {
            var e = At(experiment, loadKey, isRate, load, cache);
            var all = e.Runs;
            for (int r = 0; r < n; r++)
            {
                var job = new RunJob(e, point * n + r, all[point * n + r]);
                jobs.Add(job);
                probeOf[job] = i;
            }
        }
        var values = new ConcurrentDictionary<RunJob, RunValues>();
        executor.Execute(jobs, (job, rep) =>
        {
            if (ExperimentRunner.UnexpectedViolation(job.Experiment, job.Spec, rep) is { } violation) throw violation;
            var run = RunValues.Of(rep, job.Experiment.Warmup.TotalSeconds, countSafety: false);
            if (MeasuredGoodput(rep, job.Experiment.Warmup.TotalSeconds) is { } goodput) run.Values[SizingTarget.Goodput] = goodput;
            values[job] = run;
        }, progress, cancel);

        var result = new List<Probe>();
        foreach (var (i, (point, load)) in asked.Index())
        {
            // Replications in seed order, whatever order they finished in.
            var reps = jobs.Where(j => probeOf[j] == i).OrderBy(j => j.Run).Select(j => values[j]).ToList();
            var readings = targets.Select(t =>
            {
                var (level, mean, low, high) = t.Judge([.. reps.Select(r => t.RunValue(r, load))]);
                return new TargetReading(t, level, mean, low, high);
            }).ToList();
            result.Add(new Probe(point, load, readings.Min(r => r.Level), readings, Use(reps)));
        }
        return result;
    }

    /// <summary>Committed over submitted transactions per second, both over the whole bins after warm-up (see <see cref="SizingTarget.Goodput"/>).</summary>
    private static double? MeasuredGoodput(Lab.Reports.ReplicationResult rep, double warmupSeconds)
    {
        var series = rep.Metrics.Series;
        if (!series.TryGetValue(Lab.Consensus.Common.StandardMetrics.SubmittedTx, out var submitted) ||
            !series.TryGetValue(Lab.Consensus.Common.StandardMetrics.CommittedTx, out var committed)) return null;
        var offered = RunValues.MeasuredRate(submitted, rep.Metrics, rep, warmupSeconds);
        var served = RunValues.MeasuredRate(committed, rep.Metrics, rep, warmupSeconds);
        return offered is > 0 && served is { } s ? s / offered.Value : null;
    }

    private static ResourceUse Use(IReadOnlyList<RunValues> reps)
    {
        double? Mean(string metric) => reps.All(r => r.Values.ContainsKey(metric)) ? RunValues.InOrderMean([.. reps.Select(r => r.Values[metric])]) : null;
        string? busiest = null;
        var most = double.NegativeInfinity;
        foreach (var name in reps[0].Values.Keys)
        {
            if (!name.StartsWith(StandardMetrics.CpuUtilisationNodePrefix, StringComparison.Ordinal) || name == StandardMetrics.CpuUtilisationMax) continue;
            if (Mean(name) is { } u && u > most) { most = u; busiest = name[StandardMetrics.CpuUtilisationNodePrefix.Length..]; }
        }
        return new ResourceUse(Mean(StandardMetrics.CpuUtilisationMax), busiest, Mean(LinkUtilisations[0].Metric), Mean(LinkUtilisations[1].Metric), Mean(StandardMetrics.ThroughputTps));
    }

    /// <summary>
    /// The resource that saturates first, read at the smallest probed load above the answer (where the
    /// targets stop being met), or at the answer when every load up to the maximum passed.
    /// </summary>
    private static Binding BindingAt(IReadOnlyList<Probe> probes, SearchOutcome o, string loadKey, RunConfig config)
    {
        var at = probes.FirstOrDefault(p => p.Load == o.SureFails) ?? probes.LastOrDefault(p => p.Load == o.Sure);
        if (at is null) return new Binding(null, null, null, "no probe");
        var candidates = new List<(string Resource, double Utilisation)>();
        if (at.Use.CpuMax is { } cpu) candidates.Add((at.Use.CpuNode is { } node ? $"{node}'s CPU" : "the busiest replica's CPU", cpu));
        if (at.Use.UplinkMax is { } up) candidates.Add((LinkUtilisations[0].Resource, up));
        if (at.Use.DownlinkMax is { } down) candidates.Add((LinkUtilisations[1].Resource, down));
        var seen = string.Join(", ", candidates.Select(c => $"{c.Resource} {c.Utilisation * 100:0}%"));
        var top = candidates.OrderByDescending(c => c.Utilisation).FirstOrDefault();
        if (top.Resource is not null && top.Utilisation >= Saturated) return new Binding(top.Resource, top.Utilisation, at.Load, seen);
        if (loadKey == "workload.outstanding" || config.Has("workload.outstanding"))
            return new Binding("the clients' window (workload.outstanding)", null, at.Load, seen);
        return new Binding(null, null, at.Load, seen.Length == 0 ? "no utilisation measured" : seen);
    }

    /// <summary>"pbft, 16 nodes, aws-3-regions, crash frankfurt at 20s": the point in words.</summary>
    public static string Describe(PlannedPoint p)
    {
        var parts = new List<string> { p.Variant };
        foreach (var (key, value) in p.Parameters)
            parts.Add(key switch
            {
                "chain.nodes" => $"{value} nodes",
                "network.preset" => value,
                "faults" => Faults(p.Config.GetOr<List<FaultSpec>>("faults", [])),
                _ => $"{key}={value}",
            });
        return string.Join(", ", parts);
    }

    private static string Faults(IReadOnlyList<FaultSpec> faults) => faults.Count == 0
        ? "no faults"
        : string.Join(" + ", faults.Select(f => $"{f.Action} {string.Join(" | ", f.Targets.Select(t => string.Join(" ", t.Words)))} at {f.At}"));
}
