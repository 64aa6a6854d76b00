using Lab.Cluster;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary>
/// <c>lab worker --join HOST:PORT [--cores N]</c>: a worker process for cluster sweeps (see <see cref="WorkerHost"/>).
/// It runs until interrupted, serving one coordinator after another; a wrong secret or another build ends it (exit 2).
/// </summary>
public static class WorkerCommand
{
    public static int Execute(CliApp app, string[] args, CancellationToken cancel)
    {
        var o = Options.Parse(args, new HashSet<string> { "--join", "--cores", "--host", "--port", "--secret-file", "--cluster-config", "--limit" }, new HashSet<string> { "--help", "-h", "--stdio" });
        if (o.Has("--help") || o.Has("-h")) { Usage(app.Output); return ExitCode.Ok; }
        if (o.Has("--stdio")) return Child(app, o, cancel);
        if (o.Positionals.Count > 0) throw new UsageException($"worker takes no file (got '{o.Positionals[0]}'): the coordinator names the runs");
        var join = o.Last("--join") ?? throw new UsageException("worker needs --join HOST:PORT (the coordinator's --cluster-listen port, or a seed worker's)");
        if (ClusterSettings.ParseEndpoint(join) is null) throw new UsageException($"--join: expected HOST:PORT, got '{join}'");
        var cores = o.Int("--cores", 1, 1024) ?? Environment.ProcessorCount;
        var settings = new ClusterSettings
        {
            Role = ClusterSettings.WorkerRole,
            Host = o.Last("--host") ?? "127.0.0.1",
            Port = o.Int("--port", 0, 65535) ?? 0,
            Join = join,
            ExtraConfig = ClusterOptions.ExtraConfig(o),
        };
        var secret = ClusterOptions.Secret(o);
        var w = app.Output.Profile.Out.Writer;
        string? refused;
        try { refused = WorkerHost.Run(settings, secret, cores, line => { lock (w) w.WriteLine(line); }, cancel); }
        catch (ClusterUnavailableException e) { return app.Fail(e.Message, ExitCode.Invalid); }
        if (refused is not null) return app.Fail("refused by the coordinator: " + refused, ExitCode.Invalid);
        return ExitCode.Cancelled;
    }

    /// <summary><c>lab worker --stdio</c>: a child of <c>lab run</c> (<see cref="ProcessRunExecutor"/>); not for people.</summary>
    private static int Child(CliApp app, Options o, CancellationToken cancel)
    {
        if (o.Positionals.Count > 0 || o.Has("--join")) throw new UsageException("worker --stdio takes its runs on standard input from lab run; give it no file and no --join");
        var limits = LimitOptions.Parse(o);
        var output = Console.OpenStandardOutput();
        // Standard output carries the frames: anything else printed by mistake goes to standard error instead.
        Console.SetOut(Console.Error);
        ParentWatch.ExitWhenOrphaned();
        // Not cancelled by its own signals (Ctrl-C reaches the whole process group): the parent decides, and kills it.
        PipeWorker.Serve(app.Registry, limits, Console.OpenStandardInput(), output, CancellationToken.None);
        return ExitCode.Ok;
    }

    public static void Usage(IAnsiConsole c)
    {
        c.MarkupLine("[bold]lab worker[/] --join HOST:PORT [[--cores N]] [[--host ADDR]] [[--port P]] [[--secret-file PATH]] [[--cluster-config FILE]]");
        c.WriteLine();
        c.WriteLine("Joins a cluster and runs what its coordinator hands out (lab run FILE --cluster-listen PORT, or lab size");
        c.WriteLine("... --cluster-listen PORT). Start it in a checkout of the same build as the coordinator's: experiment files");
        c.WriteLine("and presets are read from this machine, relative to this folder, and must resolve to the coordinator's hash.");
        c.WriteLine("The shared secret comes from LAB_CLUSTER_SECRET or --secret-file (never a command-line value). It binds to");
        c.WriteLine("127.0.0.1 unless --host names the address the other machines reach it at. Runs until Ctrl-C/SIGTERM,");
        c.WriteLine("serving one coordinator after another; a refused worker exits with 2.");
        c.WriteLine("(lab worker --stdio is how lab run starts its child processes for parallel runs; it is not for direct use.)");
        c.WriteLine();
        c.WriteLine("Example (one machine, two workers of one core each):");
        c.WriteLine("  export LAB_CLUSTER_SECRET=$(cat ~/.lab-secret)");
        c.WriteLine("  lab run scenarios/consensus/bft-scaling.yaml --cluster-listen 4053 &");
        c.WriteLine("  lab worker --join 127.0.0.1:4053 --cores 1 & lab worker --join 127.0.0.1:4053 --cores 1");
    }
}
