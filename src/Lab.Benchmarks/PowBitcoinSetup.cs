using Lab.Experiments;
using Lab.Experiments.Models;
using Lab.Experiments.Network;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Lab.Reports;
using Lab.Sim.Kernel;
using Lab.Sim.Network;

namespace Lab.Benchmarks;

/// <summary>
/// The one definition of the pow-bitcoin setup the benchmarks run: <c>scenarios/consensus/pow-bitcoin.yaml</c>
/// itself, loaded and run by the same code as <c>lab run</c> (the same replication seed, network
/// preset and model), with nodes, blocks and other keys overridden the way <c>--set</c> does.
/// </summary>
public sealed class PowBitcoinSetup
{
    private readonly ExperimentRunner _runner = new(ModelRegistry.Default);

    private PowBitcoinSetup(Experiment experiment, NetworkSpec network)
    {
        Experiment = experiment;
        Network = network;
    }

    public Experiment Experiment { get; }
    /// <summary>The run's network (from the file's preset), for a kernel baseline on the same links.</summary>
    public NetworkSpec Network { get; }
    public RunSpec Run => Experiment.Runs[0];

    /// <param name="overrides"><c>key=value</c> pairs, as <c>lab run --set</c>.</param>
    /// <param name="file">The experiment file; default: pow-bitcoin.yaml found above the working directory or the binary.</param>
    public static PowBitcoinSetup Load(IReadOnlyList<string> overrides, string? file = null)
    {
        var path = file ?? Find("scenarios/consensus/pow-bitcoin.yaml");
        var problems = new Lab.Experiments.Validation.Diagnostics();
        var experiment = new ExperimentLoader(ModelRegistry.Default).Load(path, overrides, problems);
        if (experiment is null || problems.HasErrors || experiment.Runs.Count == 0)
            throw new InvalidOperationException($"{path} is not valid:\n" + string.Join("\n", problems.Sorted()));
        var network = NetworkBuilder.Build(experiment!.Runs[0].Point.Config, problems)
                      ?? throw new InvalidOperationException(string.Join("\n", problems.Sorted()));
        return new PowBitcoinSetup(experiment, network);
    }

    /// <summary>Runs the experiment's first run exactly as <c>lab run</c> does (same seed, same model).</summary>
    public ReplicationResult RunOnce(ExecutionMode mode) => _runner.RunOne(Experiment, Run, mode, progress: null, CancellationToken.None);

    private static string Find(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, relative))) return Path.Combine(d.FullName, relative);
        throw new FileNotFoundException($"{relative} not found above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}");
    }
}
