using Lab.Experiments;
using Lab.Experiments.Models;
using Lab.Experiments.Results;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Lab.Sim.Kernel;

namespace Lab.Cluster;

/// <summary>
/// Executes a worker's runs: loads the experiment named in a <see cref="JobOffer"/> from the worker's own
/// checkout (cached per file and overrides), refuses to run it unless it resolves to the coordinator's
/// configuration hash, runs it as <c>lab run</c> would and encodes the <see cref="RunRecord"/>.
/// Thread-safe: a worker runs one job per core at once.
/// </summary>
public sealed class WorkerRuns(ModelRegistry registry, InputLimits? limits = null)
{
    private readonly ExperimentLoader _loader = new(registry, limits) { DryBuild = false };
    private readonly ExperimentRunner _runner = new(registry);
    private readonly Dictionary<string, (Experiment? Experiment, IReadOnlyList<RunSpec> Runs, string Problem)> _loaded = [];
    private readonly Lock _lock = new();

    /// <summary>Runs the job; returns <see cref="Done"/> with the record or <see cref="Failed"/> with the reason.</summary>
    public IClusterMessage Execute(JobOffer job, CancellationToken cancel, IRunProgress? progress = null)
    {
        var (experiment, runs, problem) = Load(job);
        if (experiment is null) return new Failed(job.Id, problem);
        var hash = experiment.ConfigHash;
        if (hash != job.ConfigHash)
            return new Failed(job.Id, $"{job.File} resolves differently on this worker (config hash {hash[..12]}…, the coordinator's is {job.ConfigHash[..Math.Min(12, job.ConfigHash.Length)]}…): the experiment file or a preset it reads differs; run every process from the same checkout");
        if (job.Run < 0 || job.Run >= runs.Count) return new Failed(job.Id, $"run {job.Run} is not in {job.File}");
        var spec = runs[job.Run];
        try
        {
            var rep = _runner.RunOne(experiment, spec, ExecutionMode.Sequential, progress, cancel);
            return new Done(job.Id, new RunRecord(hash, spec.Point.Index, rep).Encode());
        }
        catch (OperationCanceledException) { throw; }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new Failed(job.Id, $"run '{spec.Label}' (seed {spec.Seed}) threw {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The coordinator's side of <see cref="Execute"/>: the run a worker's record holds, once it is checked to be
    /// the run asked for (<paramref name="configHash"/>, point and replication).</summary>
    /// <exception cref="RunFailedException">The record is damaged or belongs to another run.</exception>
    public static Lab.Reports.ReplicationResult Accept(byte[] bytes, string configHash, RunSpec spec)
    {
        RunRecord record;
        try { record = RunRecord.Decode(bytes); }
        catch (InvalidDataException x) { throw new RunFailedException(spec, new InvalidDataException("the worker's record: " + x.Message, x)); }
        if (record.ConfigHash != configHash || record.Point != spec.Point.Index || record.Replication != spec.Replication)
            throw new RunFailedException(spec, new InvalidDataException("a worker returned the record of another run"));
        return record.Result;
    }

    /// <summary>Loads (and keeps) the experiment that jobs to come will name, so that the first of them starts at once.
    /// A problem is kept too, and told when a job names it.</summary>
    public void Preload(string file, IReadOnlyList<string> overrides) => Load(file, overrides);

    private (Experiment?, IReadOnlyList<RunSpec>, string) Load(JobOffer job) => Load(job.File, job.Overrides);

    private (Experiment?, IReadOnlyList<RunSpec>, string) Load(string file, IReadOnlyList<string> overrides)
    {
        var key = file + "\n" + string.Join("\n", overrides);
        lock (_lock)
        {
            if (_loaded.TryGetValue(key, out var cached)) return cached;
            var d = new Diagnostics();
            Experiment? e = null;
            try { e = _loader.Load(file, overrides, d); }
            catch (Exception x) when (x is IOException or UnauthorizedAccessException) { d.Error(new Lab.Experiments.Yaml.SourceMark(file, 1, 1), "", x.Message); }
            var loaded = e is null
                ? ((Experiment?)null, (IReadOnlyList<RunSpec>)[], $"{file} does not load on this worker (working folder {Environment.CurrentDirectory}): {string.Join("; ", d.Sorted().Take(3))}")
                : (e, e.Runs, "");
            return _loaded[key] = loaded;
        }
    }
}
