using Lab.Cluster;
using Lab.Experiments.Running;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary>
/// The cluster options of <c>lab run</c> and <c>lab size</c> (the coordinator's side): <c>--cluster-listen PORT</c>
/// (be the seed node) or <c>--cluster HOST:PORT</c> (join a cluster whose seed is there), <c>--cluster-host ADDR</c>
/// (default 127.0.0.1), <c>--cluster-workers N</c> (wait for N workers before the first run), <c>--secret-file PATH</c> (else <c>LAB_CLUSTER_SECRET</c>), <c>--cluster-config FILE</c> (HOCON).
/// </summary>
public static class ClusterOptions
{
    public static readonly string[] Coordinator = ["--cluster-listen", "--cluster", "--cluster-host", "--secret-file", "--cluster-config", "--cluster-workers"];

    /// <summary>The coordinator's settings and secret, or null when no cluster option was given.</summary>
    public static (ClusterSettings Settings, SharedSecret Secret)? ForCoordinator(Options o)
    {
        var listen = o.Int("--cluster-listen", 1, 65535);
        var join = o.Last("--cluster");
        if (listen is null && join is null)
        {
            foreach (var n in Coordinator.Where(o.Has)) throw new UsageException($"{n} is for a cluster run: give --cluster-listen PORT or --cluster HOST:PORT too");
            return null;
        }
        if (listen is not null && join is not null) throw new UsageException("give --cluster-listen PORT (be the seed) or --cluster HOST:PORT (join one), not both");
        if (join is not null && ClusterSettings.ParseEndpoint(join) is null) throw new UsageException($"--cluster: expected HOST:PORT, got '{join}'");
        var settings = new ClusterSettings
        {
            Role = ClusterSettings.CoordinatorRole,
            Host = o.Last("--cluster-host") ?? "127.0.0.1",
            Port = listen ?? 0,
            Join = join,
            ExtraConfig = ExtraConfig(o),
            WaitForWorkers = o.Int("--cluster-workers", 1, 100_000) ?? 1,
        };
        return (settings, Secret(o));
    }

    public static SharedSecret Secret(Options o)
    {
        try { return SharedSecret.Load(o.Last("--secret-file"), Environment.GetEnvironmentVariable); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    public static string? ExtraConfig(Options o)
    {
        if (o.Last("--cluster-config") is not { } file) return null;
        try { return File.ReadAllText(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new UsageException($"--cluster-config {file}: {e.Message}"); }
    }

    /// <summary>Starts the coordinator; its news (workers joining, leaving, refused) goes to standard error.</summary>
    public static ClusterRunExecutor StartCoordinator(CliApp app, (ClusterSettings Settings, SharedSecret Secret) cluster, bool quiet)
    {
        var w = app.Errors.Profile.Out.Writer;
        var executor = ClusterRunExecutor.Start(cluster.Settings, cluster.Secret, line => { lock (w) w.WriteLine("cluster: " + line); });
        if (!quiet)
            lock (w) w.WriteLine(cluster.Settings.Join is null
                ? $"cluster: coordinator listening on {executor.Address}; start workers with: lab worker --join {executor.Address}"
                : $"cluster: coordinator at {executor.Address}, joining {cluster.Settings.Join}");
        return executor;
    }
}

/// <summary>Progress of a cluster run: one line per finished run with the workers admitted, runs done of total and the ETA.</summary>
public sealed class ClusterProgress(IAnsiConsole output, int total, int already, ClusterRunExecutor cluster) : IRunProgress
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly int _already = already;
    private int _done = already;

    public void Started(Lab.Experiments.RunSpec run) { }
    public void Advanced(Lab.Experiments.RunSpec run, double fraction) { }

    public void Finished(Lab.Experiments.RunSpec run)
    {
        lock (_lock)
        {
            _done++;
            var elapsed = _clock.Elapsed;
            var eta = TimeSpan.FromSeconds(elapsed.TotalSeconds / (_done - _already) * (total - _done));
            output.Profile.Out.Writer.WriteLine($"[{_done}/{total}] {run.Label} done · {cluster.Workers} worker(s) · elapsed {elapsed:hh\\:mm\\:ss} · eta {eta:hh\\:mm\\:ss}");
        }
    }
}
