using Lab.Consensus.Common;
using Lab.Experiments.Faults;
using Lab.Experiments.Models;
using Lab.Experiments.Network;
using Lab.Experiments.Validation;
using Lab.Reports;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Time;

namespace Lab.Experiments.Running;

/// <summary>
/// Runs every run of an experiment on <c>parallel</c> worker threads. Cores go to whole runs first
/// (independent runs scale best); only when there are more cores than runs does each run use the
/// actor executor, whose nodes then run in parallel windows. Each run is isolated and its result
/// depends only on its configuration and seed, so the result is the same either way.
/// </summary>
public sealed class ExperimentRunner(ModelRegistry registry)
{
    public ExperimentResult Run(Experiment experiment, int parallel, IRunProgress? progress = null, CancellationToken cancel = default)
    {
        var runs = experiment.Runs;
        var results = new ReplicationResult?[runs.Count];
        // Measured on 2 cores: two runs at once, each with actors, took twice as long as each sequential.
        var mode = parallel > runs.Count ? ExecutionMode.Actors : ExecutionMode.Sequential;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Exception? failure = null;
        var next = -1;

        void Worker()
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= runs.Count) return;
                try
                {
                    var rep = RunOne(experiment, runs[i], mode, progress, stop.Token);
                    results[i] = rep;
                    if (UnexpectedViolation(experiment, runs[i], rep) is { } violation)
                    {
                        Interlocked.CompareExchange(ref failure, violation, null);
                        stop.Cancel();
                        return;
                    }
                }
                catch (OperationCanceledException) { return; }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, new RunFailedException(runs[i], e), null);
                    stop.Cancel();
                    return;
                }
            }
        }

        var workers = Math.Clamp(parallel, 1, Math.Max(1, runs.Count));
        if (workers == 1) Worker();
        else
        {
            var threads = Enumerable.Range(0, workers).Select(_ => new Thread(Worker) { IsBackground = true }).ToList();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
        }
        if (failure is not null || cancel.IsCancellationRequested)
        {
            var completed = Assemble(experiment, results);
            throw new ExperimentStoppedException(failure ?? new OperationCanceledException(cancel), completed.Points.Count > 0 ? completed : null);
        }
        return Assemble(experiment, results);
    }

    /// <summary>The result of every point whose replications all finished, in plan order.</summary>
    private static ExperimentResult Assemble(Experiment experiment, ReplicationResult?[] results)
    {
        var n = experiment.Replications;
        var points = experiment.Points
            .Where(p => Enumerable.Range(0, n).All(r => results[p.Index * n + r] is not null))
            .Select(p => new PointResult
            {
                Variant = p.Variant,
                Parameters = p.Parameters,
                Replications = [.. Enumerable.Range(0, n).Select(r => results[p.Index * n + r]!)],
            }).ToList();
        return new ExperimentResult
        {
            Name = experiment.Name,
            Description = experiment.Description,
            Seed = experiment.Seed,
            SourceYaml = experiment.SourceText,
            ResolvedYaml = experiment.ResolvedYaml,
            Charts = experiment.Charts,
            SweepAxes = experiment.SweepAxes,
            WarmupSeconds = experiment.Warmup.TotalSeconds,
            ExpectedSafety = experiment.ExpectedSafety,
            Points = points,
            Opening = [.. experiment.Points.Select(p => p.Model).Distinct().SelectMany(m => m.Conclude(points))],
        };
    }

    /// <summary>Builds and runs one world. Validation already passed, so building cannot report problems.</summary>
    public ReplicationResult RunOne(Experiment experiment, RunSpec run, ExecutionMode mode, IRunProgress? progress, CancellationToken cancel)
    {
        var c = run.Point.Config;
        var problems = new Diagnostics();
        var network = NetworkBuilder.Build(c, problems) ?? throw new InvalidOperationException(Describe(problems));
        var world = run.Point.Model.Build(new RunContext { Config = c, Seed = run.Seed, Network = network, Registry = registry, Protocol = run.Point.Protocol });
        var faults = FaultBuilder.Build(c.GetOr<List<FaultSpec>>("faults", []), world, network, c.Time("duration"), problems)
                     ?? throw new InvalidOperationException(Describe(problems));
        var options = new SimulationOptions
        {
            Seed = run.Seed,
            EndTime = SimTime.Zero + c.Time("duration"),
            MaxEvents = c.GetOr<long?>("max-events", null) ?? long.MaxValue,
            SeriesBin = c.Time("outputs.series-bin"),
            Mode = mode,
        };
        var sim = new Simulation(options, network, world.Nodes, faults);
        foreach (var o in world.Observers) sim.AddObserver(o);
        sim.StopWhen = world.StopWhen;
        progress?.Started(run);
        var end = (double)options.EndTime.Nanos;
        var lastReported = 0.0;
        var result = sim.Run(cancel, now =>
        {
            var f = now.Nanos / end;
            if (f - lastReported < 0.01) return;
            lastReported = f;
            progress?.Advanced(run, f);
        });
        if (result.Stats.StoppedBy == StopReason.Cancelled) throw new OperationCanceledException(cancel);
        world.Finish?.Invoke(result);

        var m = result.Metrics;
        m.Scalars[KernelMetrics.EventsTotal] = result.Stats.EventsProcessed;
        m.Scalars[KernelMetrics.MessagesTotal] = result.Stats.MessagesSent;
        var violations = Math.Max(m.Counter(StandardMetrics.SafetyViolations), m.Findings.Count(f => f.Kind == StandardMetrics.SafetyFinding));
        m.Scalars[StandardMetrics.SafetyViolations] = violations;
        progress?.Finished(run);
        return new ReplicationResult
        {
            Index = run.Replication,
            Seed = run.Seed,
            Stats = result.Stats,
            Metrics = m,
            Nodes = [.. result.Nodes.All.Select(n => (result.Nodes.Name(n), result.Nodes[n].Kind))],
        };
    }

    /// <summary>A safety or validity violation is a failure unless the experiment says <c>expect.safety: violated</c>.</summary>
    public static SafetyViolationException? UnexpectedViolation(Experiment experiment, RunSpec run, ReplicationResult rep)
    {
        var m = rep.Metrics;
        var violations = m.Scalars.GetValueOrDefault(StandardMetrics.SafetyViolations) + m.Scalars.GetValueOrDefault(StandardMetrics.ValidityViolations);
        if (violations == 0 || experiment.ExpectedSafety == "violated") return null;
        return new SafetyViolationException(run, [.. m.Findings.Where(f => f.Kind is StandardMetrics.SafetyFinding or StandardMetrics.ValidityFinding)
                                                   .Select(f => $"at {f.At}: {f.Kind}: {f.Text}")
                                                   .DefaultIfEmpty($"{violations} violation(s) counted")]);
    }

    private static string Describe(Diagnostics d) => string.Join("\n", d.Sorted());
}
