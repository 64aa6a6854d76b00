using Lab.Experiments;
using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;

namespace Lab.Cluster;

/// <summary>
/// <c>lab worker --stdio</c>: a child process of <c>lab run</c> (<see cref="ProcessRunExecutor"/>). It reads jobs from
/// standard input and runs them one at a time, as a cluster worker does (<see cref="WorkerRuns"/>: the same loading,
/// configuration-hash check and record), writing progress and each run's record to standard output
/// (<see cref="PipeFrames"/>). A child started ahead of its first job is told the experiment first and loads it while
/// waiting. It ends when its input ends.
/// </summary>
public static class PipeWorker
{
    public static void Serve(ModelRegistry registry, InputLimits? limits, Stream input, Stream output, CancellationToken cancel)
    {
        var runs = new WorkerRuns(registry, limits);
        using var r = PipeFrames.Reader(input);
        using var w = PipeFrames.Writer(output);
        while (!cancel.IsCancellationRequested && PipeFrames.Read(r) is { } frame)
        {
            switch (frame)
            {
                case PipeFrames.Prepare p: runs.Preload(p.File, p.Overrides); break;
                case Work work:
                    foreach (var job in work.Jobs) PipeFrames.Write(w, runs.Execute(job, cancel, new Progress(w, job.Id)));
                    break;
                default: throw new InvalidDataException($"expected work, got {frame.GetType().Name}");
            }
        }
    }

    /// <summary>Tells the parent when the run starts and how far its virtual time has got (about every 1%).</summary>
    private sealed class Progress(BinaryWriter w, long id) : IRunProgress
    {
        public void Started(RunSpec run) => PipeFrames.Write(w, new PipeFrames.Started(id));
        public void Advanced(RunSpec run, double fraction) => PipeFrames.Write(w, new PipeFrames.Advanced(id, fraction));
        public void Finished(RunSpec run) { }
    }
}
