using Lab.Consensus.Common;
using Lab.Experiments.Faults;
using Lab.Experiments.Models;
using Lab.Experiments.Network;
using Lab.Experiments.Results;
using Lab.Experiments.Validation;
using Lab.Reports;
using Lab.Sim.Faults;
using Lab.Sim.Kernel;
using Lab.Sim.Metrics;
using Lab.Sim.Time;

namespace Lab.Experiments.Running;

/// <summary>
/// Runs every run of an experiment on an <see cref="IRunExecutor"/>: <c>parallel</c> threads of this
/// process (<see cref="LocalRunExecutor"/>) or a cluster's workers. Each run is isolated and its result
/// depends only on its configuration and seed, so the result is the same either way.
/// </summary>
public sealed class ExperimentRunner(ModelRegistry registry)
{
    /// <param name="journal">Where each finished run is kept before it counts as done, and where runs
    /// finished by an earlier attempt are read from (they are not run again). Without one, results stay in memory.</param>
    public ExperimentResult Run(Experiment experiment, int parallel, IRunProgress? progress = null, CancellationToken cancel = default, IRunJournal? journal = null) =>
        Run(experiment, new LocalRunExecutor(this, parallel), progress, cancel, journal);

    /// <summary>Runs what is not finished yet on <paramref name="executor"/> (this process's threads or a cluster's workers),
    /// the longest expected first (<see cref="RunOrder"/>); the result is assembled in plan order, whatever order the runs start and finish in.</summary>
    /// <param name="rehearse">Given, on a thread of its own, the points finished so far once fewer runs are left than the
    /// executor has slots, so a core is idle until the end: the caller can draw a throw-away report from them there, and
    /// the real one, drawn when the last run ends, no longer waits for its code to be compiled (~1 s of the teaching
    /// demo's end). What it does or throws changes nothing here.</param>
    public ExperimentResult Run(Experiment experiment, IRunExecutor executor, IRunProgress? progress = null, CancellationToken cancel = default, IRunJournal? journal = null,
        Action<ExperimentResult>? rehearse = null)
    {
        var runs = experiment.Runs;
        var results = new ReplicationResult?[runs.Count];
        var done = new bool[runs.Count];
        var hash = experiment.ConfigHash;
        var todo = new List<RunJob>();
        for (int i = 0; i < runs.Count; i++)
        {
            if (journal is null || !journal.IsFinished(i)) { todo.Add(new RunJob(experiment, i, runs[i])); continue; }
            // A run kept by an earlier attempt is checked as if it had just finished.
            done[i] = true;
            if (UnexpectedViolation(experiment, runs[i], journal.Load(i).Result) is { } earlier)
                throw new ExperimentStoppedException(earlier, Completed(experiment, done, results, journal));
        }

        var left = todo.Count;
        var rehearsing = 0;
        ExperimentResult? FinishedSoFar()
        {
            try { return Completed(experiment, done, results, journal); }
            catch (ResultFolderException) { return null; }   // the final assembly will say what is wrong with the folder
        }
        void Finished(RunJob job, ReplicationResult rep)
        {
            var i = job.Run;
            journal?.Record(i, new RunRecord(hash, job.Spec.Point.Index, rep));
            // Counted as done only now that it is kept; a journal reads it back when assembling.
            if (journal is null) results[i] = rep;
            Volatile.Write(ref done[i], true);
            progress?.Finished(job.Spec);
            if (UnexpectedViolation(experiment, job.Spec, rep) is { } violation) throw violation;
            var running = Interlocked.Decrement(ref left);
            // Every run left has started (no job waits for this thread), so the points finished so far are taken here.
            if (rehearse is not null && running > 0 && running < executor.Slots && !cancel.IsCancellationRequested && Volatile.Read(ref rehearsing) == 0
                && FinishedSoFar() is { } partial && Interlocked.Exchange(ref rehearsing, 1) == 0)
                Task.Run(() =>
                {
                    try { rehearse(partial); }
                    catch (Exception e) when (e is not OutOfMemoryException) { }   // a rehearsal; the real report says what is wrong
                });
        }

        todo = RunOrder.LongestFirst(todo);
        progress?.Planned([.. todo.Select(j => j.Spec)], executor.Slots);
        Exception? failure = null;
        try { executor.Execute(todo, Finished, progress, cancel); }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { }
        catch (Exception e) when (e is RunFailedException or SafetyViolationException or ResultFolderException) { failure = e; }
        if (failure is not null || cancel.IsCancellationRequested)
            throw new ExperimentStoppedException(failure ?? new OperationCanceledException(cancel), Completed(experiment, done, results, journal));
        return Assemble(experiment, done, results, journal);
    }

    private static ExperimentResult? Completed(Experiment experiment, bool[] done, ReplicationResult?[] results, IRunJournal? journal)
    {
        var completed = Assemble(experiment, done, results, journal);
        return completed.Points.Count > 0 ? completed : null;
    }

    /// <summary>The result of every point whose replications all finished, in plan order (read back from the journal if there is one).</summary>
    private static ExperimentResult Assemble(Experiment experiment, bool[] done, ReplicationResult?[] results, IRunJournal? journal)
    {
        var n = experiment.Replications;
        ReplicationResult Get(int i) => results[i] ?? journal!.Load(i).Result;
        var finished = experiment.Points.Where(p => Enumerable.Range(0, n).All(r => Volatile.Read(ref done[p.Index * n + r]))).ToList();   // also read while runs still finish
        var points = finished
            .Select(p => new PointResult
            {
                Variant = p.Variant,
                Parameters = p.Parameters,
                Replications = [.. Enumerable.Range(0, n).Select(r => Get(p.Index * n + r))],
            }).ToList();
        return new ExperimentResult
        {
            Name = experiment.Name,
            Description = experiment.Description,
            Seed = experiment.Seed,
            SourceYaml = experiment.SourceText,
            ResolvedYaml = experiment.ResolvedYaml,
            Charts = experiment.Charts,
            Words = [.. experiment.Points.SelectMany(MetricCatalog.ModelsOf).Distinct().SelectMany(MetricCatalog.WordsOf).Distinct()],
            SweepAxes = experiment.SweepAxes,
            WarmupSeconds = experiment.Warmup.TotalSeconds,
            ExpectedSafety = experiment.ExpectedSafety,
            Points = points,
            Opening = [.. experiment.Points.Select(p => p.Model).Distinct().SelectMany(m => m.Conclude(points))],
            Follow = experiment.Points.Select(p => p.Model).Distinct().Select(m => m.Follow(finished, points)).FirstOrDefault(f => f is not null),
            Tables = [.. experiment.Points.Select(p => p.Model).Distinct().SelectMany(m => m.Tables(points))],
        };
    }

    /// <summary>Builds and runs one world (not counted as finished: the caller does that once it is kept).
    /// Validation already passed, so building cannot report problems.</summary>
    /// <param name="watchers">Observers added to the run besides the world's own (a trace); they must not change it.</param>
    public ReplicationResult RunOne(Experiment experiment, RunSpec run, ExecutionMode mode, IRunProgress? progress, CancellationToken cancel,
        IReadOnlyList<ISimulationObserver>? watchers = null)
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
            // CPU and NIC utilisation over the measured window, as every other metric.
            MeasureFrom = SimTime.Zero + c.Time("warmup"),
            // With no lookahead (jittered latencies have no floor) every window holds one instant, so the actor executor
            // has nothing to spread over the cores and only adds its per-window cost: one on-chain run of the teaching
            // demo took 5.7 s with it and 4.6 s without. The results are the same either way.
            Mode = mode == ExecutionMode.Actors && network.MinimumLatency.Nanos == 0 ? ExecutionMode.Sequential : mode,
        };
        var sim = new Simulation(options, network, world.Nodes, faults);
        foreach (var o in world.Observers.Concat(watchers ?? [])) sim.AddObserver(o);
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
        return new ReplicationResult
        {
            Index = run.Replication,
            Seed = run.Seed,
            Stats = result.Stats,
            Metrics = m,
            Nodes = [.. result.Nodes.All.Select(n => (result.Nodes.Name(n), result.Nodes[n].Kind))],
        };
    }

    /// <summary>A safety or validity violation is a failure unless the experiment says <c>expect.safety: violated</c>;
    /// a liveness violation (reported only when the experiment sets <c>expect.liveness</c>) always is.</summary>
    public static SafetyViolationException? UnexpectedViolation(Experiment experiment, RunSpec run, ReplicationResult rep)
    {
        var m = rep.Metrics;
        var safety = m.Scalars.GetValueOrDefault(StandardMetrics.SafetyViolations) + m.Scalars.GetValueOrDefault(StandardMetrics.ValidityViolations);
        var liveness = m.Scalars.GetValueOrDefault(StandardMetrics.LivenessViolations);
        var violations = (experiment.ExpectedSafety == "violated" ? 0 : safety) + liveness;
        if (violations == 0) return null;
        var kinds = experiment.ExpectedSafety == "violated" ? new[] { StandardMetrics.LivenessFinding } : [StandardMetrics.SafetyFinding, StandardMetrics.ValidityFinding, StandardMetrics.LivenessFinding];
        return new SafetyViolationException(run, [.. m.Findings.Where(f => kinds.Contains(f.Kind))
                                                   .Select(f => $"at {f.At}: {f.Kind}: {f.Text}")
                                                   .DefaultIfEmpty($"{violations} violation(s) counted")],
                                            liveness: violations == liveness);
    }

    private static string Describe(Diagnostics d) => string.Join("\n", d.Sorted());
}
