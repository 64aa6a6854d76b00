using System.Collections.Concurrent;
using Akka.Actor;
using Lab.Experiments;
using Lab.Experiments.Results;
using Lab.Experiments.Running;
using Lab.Reports;

namespace Lab.Cluster;

/// <summary>
/// Runs batches on a cluster's workers instead of this process's threads: the coordinator's side of
/// <c>lab run FILE --cluster-listen PORT</c> (or <c>--cluster HOST:PORT</c>) and of <c>lab size</c>.
/// Each finished run comes back as a <see cref="RunRecord"/> (the same bytes a results folder keeps) and
/// is handed to the caller on the calling thread, so a cluster run is recorded and assembled exactly as
/// a local one. Runs are independent and seeded: which worker ran one, and when, never enters a result.
/// </summary>
public sealed class ClusterRunExecutor : IRunExecutor, IDisposable
{
    private readonly ActorSystem _system;
    private readonly IActorRef _coordinator;
    private readonly BlockingCollection<CoordinatorEvent> _events = new();
    private readonly Action<string>? _log;
    private long _batch;
    private int _workers;

    private ClusterRunExecutor(ClusterSettings settings, SharedSecret secret, Action<string>? log)
    {
        _log = log;
        _system = ActorSystem.Create(ClusterSettings.SystemName, settings.ToConfig());
        _coordinator = _system.ActorOf(Props.Create(() => new Coordinator(secret, e => _events.Add(e), settings.WaitForWorkers)), ClusterSettings.CoordinatorName);
        var self = Akka.Cluster.Cluster.Get(_system).SelfAddress;
        Address = $"{self.Host}:{self.Port}";
    }

    /// <summary>Starts the coordinator's node (as the seed when <see cref="ClusterSettings.Join"/> is null).</summary>
    /// <param name="log">Told when workers join, leave or are refused (from the calling thread of <see cref="Execute"/>).</param>
    public static ClusterRunExecutor Start(ClusterSettings settings, SharedSecret secret, Action<string>? log = null)
    {
        try { return new ClusterRunExecutor(settings with { Role = ClusterSettings.CoordinatorRole }, secret, log); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ClusterUnavailableException($"cannot start the coordinator on {settings.Host}:{settings.Port}: {Innermost(e).Message}", e);
        }
    }

    /// <summary>Where workers join: host:port.</summary>
    public string Address { get; }

    /// <summary>Workers admitted now.</summary>
    public int Workers => Volatile.Read(ref _workers);

    public void Execute(IReadOnlyList<RunJob> jobs, Action<RunJob, ReplicationResult> finished, IRunProgress? progress, CancellationToken cancel)
    {
        if (jobs.Count == 0) return;
        var batch = Interlocked.Increment(ref _batch);
        var offers = jobs.Select((j, k) => new JobOffer((batch << 32) | (uint)k, j.Experiment.File, j.Experiment.Overrides, j.Experiment.ConfigHash, j.Run)).ToList();
        _coordinator.Tell(new Coordinator.Submit(offers));
        var left = jobs.Count;
        var done = new bool[jobs.Count];
        try
        {
            while (left > 0)
            {
                var e = _events.Take(cancel);
                RunJob? Job(long id) => id >> 32 == batch && (int)(id & 0xffffffff) is var k && k < jobs.Count && !done[k] ? jobs[k] : null;
                switch (e)
                {
                    case CoordinatorEvent.Started s when Job(s.Id) is { } job:
                        progress?.Started(job.Spec);
                        break;
                    case CoordinatorEvent.Finished f when Job(f.Id) is { } job:
                        var result = WorkerRuns.Accept(f.Record, job.Experiment.ConfigHash, job.Spec);
                        done[(int)(f.Id & 0xffffffff)] = true;
                        left--;
                        finished(job, result);
                        break;
                    case CoordinatorEvent.JobFailed x when Job(x.Id) is { } job:
                        throw new RunFailedException(job.Spec, new ClusterRunException(x.Error));
                    case CoordinatorEvent.WorkerJoined w:
                        Volatile.Write(ref _workers, w.Workers);
                        _log?.Invoke($"worker {w.Worker} joined ({w.Cores} core(s)); {w.Workers} worker(s)");
                        break;
                    case CoordinatorEvent.WorkerLost w:
                        Volatile.Write(ref _workers, w.Workers);
                        _log?.Invoke($"worker {w.Worker} {w.Why}: {w.Requeued} run(s) re-queued; {w.Workers} worker(s)");
                        break;
                    case CoordinatorEvent.WorkerRefused w:
                        _log?.Invoke($"worker {w.Worker} refused: {w.Reason}");
                        break;
                }
            }
        }
        catch
        {
            _coordinator.Tell(new Coordinator.Drop());
            throw;
        }
    }

    public void Dispose()
    {
        // Leave the cluster so workers see the coordinator go at once rather than after the failure detector.
        try { Akka.Cluster.Cluster.Get(_system).LeaveAsync().Wait(TimeSpan.FromSeconds(3)); }
        catch (AggregateException) { }
        _system.Terminate().Wait(TimeSpan.FromSeconds(5));
        _events.Dispose();
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}

/// <summary>The cluster cannot be started or joined (a port in use, a bad address).</summary>
public sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A run failed on a worker (the message is the worker's).</summary>
public sealed class ClusterRunException(string message) : Exception(message);
