using Akka.Actor;
using Lab.Experiments.Models;

namespace Lab.Cluster;

/// <summary>
/// <c>lab worker --join HOST:PORT</c>: joins the cluster, serves whichever coordinator appears, and when
/// that coordinator goes (finished, interrupted or killed) leaves and joins again, ready for the next one.
/// Ends when cancelled (Ctrl-C, SIGTERM) or refused.
/// </summary>
public static class WorkerHost
{
    /// <returns>Null when stopped by <paramref name="cancel"/>; otherwise why the coordinator refused this worker.</returns>
    public static string? Run(ClusterSettings settings, SharedSecret secret, int cores, Action<string> log, CancellationToken cancel)
    {
        var runs = new WorkerRuns(ModelRegistry.Default);
        var name = Environment.MachineName + "-" + Environment.ProcessId;
        while (!cancel.IsCancellationRequested)
        {
            using var membership = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            var session = new WorkerSession(name, cores, secret, runs, log, membership.Token, settings.Join == $"{settings.Host}:{settings.Port}");
            ActorSystem system;
            try { system = ActorSystem.Create(ClusterSettings.SystemName, (settings with { Role = ClusterSettings.WorkerRole }).ToConfig()); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new ClusterUnavailableException($"cannot start a worker on {settings.Host}:{settings.Port}: {(e.InnerException ?? e).Message}", e);
            }
            system.ActorOf(Props.Create(() => new WorkerNode(session)), "worker");
            log($"worker {name}: {cores} core(s), joining {settings.Join ?? "itself"}");
            using (cancel.Register(() => system.Terminate()))
                system.WhenTerminated.Wait();
            membership.Cancel();
            if (session.RefusedBecause is { } reason) return reason;
            if (cancel.IsCancellationRequested) break;
            log($"{session.CompletedRuns} run(s) done for that coordinator; waiting for the next one");
            // A short pause before rejoining: the seed may be restarting.
            cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
        }
        return null;
    }
}
