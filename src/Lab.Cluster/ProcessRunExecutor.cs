using System.Diagnostics;
using Lab.Experiments.Results;
using Lab.Experiments.Running;
using Lab.Reports;

namespace Lab.Cluster;

/// <summary>
/// Runs a batch in child processes of this same build (<c>lab worker --stdio</c>, <see cref="PipeWorker"/>), one run at
/// a time in each. Why processes rather than threads: runs on threads of one process share one garbage-collected heap,
/// and every collection stops all of them — measured on 2 cores, two runs side by side each took ~28% longer than
/// alone, while two processes ran as fast as one. A child loads the experiment from its file, checks the
/// configuration hash and returns the run's <see cref="RunRecord"/>, exactly as a cluster worker does, so the
/// results are the same bytes as on threads. Children start lazily (at most one per run), or come idle from
/// <paramref name="pool"/>; they end with the batch, or go back to the pool if there is one.
/// </summary>
/// <param name="command">The child's command line: program, then arguments (the caller's <c>lab worker --stdio</c>).</param>
public sealed class ProcessRunExecutor(IReadOnlyList<string> command, int processes, ChildPool? pool = null) : IRunExecutor
{
    /// <summary>Lines of a child's standard error kept for the message when it dies.</summary>
    private const int ErrorLines = 20;

    public int Slots => processes;

    public void Execute(IReadOnlyList<RunJob> jobs, Action<RunJob, ReplicationResult> finished, IRunProgress? progress, CancellationToken cancel)
    {
        if (jobs.Count == 0) return;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Exception? failure = null;
        var next = -1;

        void Serve()
        {
            Child? child = null;
            var fit = false;   // the child ran every job it was given and may serve another batch
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var k = Interlocked.Increment(ref next);
                    if (k >= jobs.Count)
                    {
                        fit = true;
                        return;
                    }
                    var job = jobs[k];
                    ReplicationResult rep;
                    try
                    {
                        child ??= pool?.Take() ?? Child.Start(command);
                        rep = child.Run(new JobOffer(k, job.Experiment.File, job.Experiment.Overrides, job.Experiment.ConfigHash, job.Run), job.Spec, progress, stop.Token);
                    }
                    catch (Exception e) when (e is not RunFailedException && !stop.IsCancellationRequested && Child.Broken(e))
                    {
                        throw new RunFailedException(job.Spec, e);
                    }
                    finished(job, rep);
                }
            }
            catch (Exception) when (stop.IsCancellationRequested) { }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
                stop.Cancel();
            }
            finally
            {
                if (child is not null && fit && pool is not null) pool.Return(child);
                else child?.Dispose();
            }
        }

        var threads = Enumerable.Range(0, Math.Clamp(processes, 1, jobs.Count)).Select(_ => new Thread(Serve) { IsBackground = true, Name = "lab child" }).ToList();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        cancel.ThrowIfCancellationRequested();
    }

    /// <summary>One child process and the pipes to it.</summary>
    internal sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly BinaryWriter _in;
        private readonly BinaryReader _out;
        private readonly Queue<string> _errors = new();

        private Child(Process process)
        {
            _process = process;
            _in = PipeFrames.Writer(process.StandardInput.BaseStream);
            _out = PipeFrames.Reader(process.StandardOutput.BaseStream);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (_errors)
                {
                    _errors.Enqueue(e.Data);
                    if (_errors.Count > ErrorLines) _errors.Dequeue();
                }
            };
            process.BeginErrorReadLine();
        }

        public static Child Start(IReadOnlyList<string> command)
        {
            var psi = new ProcessStartInfo(command[0])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Environment.CurrentDirectory,
            };
            foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
            Process p;
            try { p = Process.Start(psi) ?? throw new InvalidOperationException("no process started"); }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                throw new ChildProcessException($"cannot start a worker process ({string.Join(' ', command)}): {e.Message}", e);
            }
            return new Child(p);
        }

        /// <summary>Tells the child the experiment its jobs will name, to load while it waits for the first.</summary>
        /// <returns>False if the child is already gone (a job would fail with the reason).</returns>
        public bool Prepare(string file, IReadOnlyList<string> overrides)
        {
            try { PipeFrames.Write(_in, new PipeFrames.Prepare(file, overrides)); return true; }
            catch (IOException) { return false; }
        }

        /// <summary>Runs one job; its progress is reported on the calling thread as the child tells it.</summary>
        public ReplicationResult Run(JobOffer offer, Lab.Experiments.RunSpec spec, IRunProgress? progress, CancellationToken stop)
        {
            // Stopping (Ctrl-C, another run failed) ends the child at once; its run is not needed any more.
            using var kill = stop.Register(Kill);
            Used = true;
            try { PipeFrames.Write(_in, new Work([offer])); }
            catch (IOException e) { throw Died("took no job", e); }
            while (true)
            {
                switch (PipeFrames.Read(_out))
                {
                    case null: throw Died("ended during the run", null);
                    case PipeFrames.Started s when s.Id == offer.Id: progress?.Started(spec); break;
                    case PipeFrames.Advanced a when a.Id == offer.Id: progress?.Advanced(spec, a.Fraction); break;
                    case Failed f when f.Id == offer.Id: throw new RunFailedException(spec, new ClusterRunException(f.Error));
                    case Done d when d.Id == offer.Id: return WorkerRuns.Accept(d.Record, offer.ConfigHash, spec);
                    case var other: throw new InvalidDataException($"a worker process answered job {offer.Id} with {other.GetType().Name}");
                }
            }
        }

        /// <summary>Whether <paramref name="e"/> says the child or its pipe broke (rather than the caller's own callback failing).</summary>
        public static bool Broken(Exception e) => e is ChildProcessException or InvalidDataException or IOException;

        private ChildProcessException Died(string when, Exception? inner)
        {
            // The exit code and the last lines it wrote to standard error say why (an unhandled exception, out of memory).
            var exited = _process.WaitForExit(TimeSpan.FromSeconds(5));
            if (exited) _process.WaitForExit();
            string tail;
            lock (_errors) tail = string.Join("\n", _errors);
            var code = exited ? $"exit code {_process.ExitCode}" : "still running";
            return new ChildProcessException($"the worker process {when} ({code})" + (tail.Length > 0 ? ":\n" + tail : ""), inner);
        }

        private void Kill()
        {
            try { _process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            catch (System.ComponentModel.Win32Exception) { }
        }

        /// <summary>Whether the child has been given a job (else it may still be loading the experiment it was told).</summary>
        public bool Used { get; private set; }

        /// <summary>Ends an idle child: one that ran jobs ends as soon as its input closes; one still loading ahead of a
        /// job that never came is killed. Either way it is waited for, so that nothing is left behind.</summary>
        public void Abandon()
        {
            if (Used) Dispose();
            else
            {
                Kill();
                _process.WaitForExit(TimeSpan.FromSeconds(5));
                _process.Dispose();
            }
        }

        public void Dispose()
        {
            // No more jobs: closing its input ends the child; one that does not end soon is killed.
            try { _in.Dispose(); _process.StandardInput.Close(); }
            catch (IOException) { }
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) Kill();
            _process.Dispose();
        }
    }
}

/// <summary>A worker process could not be started, or died or broke its pipe during a run.</summary>
public sealed class ChildProcessException(string message, Exception? inner = null) : Exception(message, inner);
