using Lab.Cluster;
using Lab.Experiments.Models;
using Lab.Experiments.Running;
using Lab.Reports;

namespace Lab.Cli.Commands;

/// <summary>
/// Where <c>lab run</c> executes its runs on this machine. Two or more runs at once go to child worker processes
/// (<see cref="ProcessRunExecutor"/>: one heap each, so they do not stop for each other's garbage collections);
/// a single run, <c>--parallel 1</c> or <c>--in-process</c> stays in this process (<see cref="LocalRunExecutor"/>,
/// whose lone run may use the spare cores through the actor executor). So do runs of models a child would not know:
/// a child builds only the built-in <see cref="ModelRegistry.Default"/>. Children already started (<see cref="WarmUp"/>,
/// while the experiment was being checked) are used first, and a batch's children serve the next batch (<c>lab size</c>).
/// </summary>
public sealed class MachineExecutor(ExperimentRunner runner, ModelRegistry registry, int parallel, bool inProcess, IEnumerable<string> limits) : IRunExecutor, IDisposable
{
    public int Slots => parallel;

    public void Execute(IReadOnlyList<RunJob> jobs, Action<RunJob, ReplicationResult> finished, IRunProgress? progress, CancellationToken cancel) =>
        For(jobs.Count).Execute(jobs, finished, progress, cancel);

    /// <summary>Children started ahead of the first batch (see <see cref="WarmUp"/>) or idle between batches; ended with this.</summary>
    public ChildPool Children { get; } = new(ChildCommand(limits));

    /// <summary>The executor a batch of <paramref name="jobs"/> runs on.</summary>
    public IRunExecutor For(int jobs) =>
        UsesProcesses(jobs) ? new ProcessRunExecutor(ChildCommand(limits), parallel, Children) : new LocalRunExecutor(runner, parallel);

    /// <summary>Whether a batch of <paramref name="jobs"/> runs in child processes.</summary>
    public bool UsesProcesses(long jobs) => !inProcess && parallel >= 2 && jobs >= 2 && ReferenceEquals(registry, ModelRegistry.Default);

    /// <summary>Starts the children a batch of <paramref name="jobs"/> runs of <paramref name="file"/> will need, if it runs in
    /// children, and has them load it now (called while this process is still checking the experiment).</summary>
    public void WarmUp(long jobs, string file, IReadOnlyList<string> overrides)
    {
        if (UsesProcesses(jobs)) Children.Start((int)Math.Min(parallel, jobs), file, overrides);
    }

    /// <summary><c>dotnet lab.dll worker --stdio</c> of this very build, with the parent's input limits.</summary>
    public static IReadOnlyList<string> ChildCommand(IEnumerable<string> limits)
    {
        var host = Environment.ProcessPath;
        var dotnet = host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        return [dotnet, typeof(CliApp).Assembly.Location, "worker", "--stdio", .. limits.SelectMany(l => new[] { "--limit", l })];
    }

    public void Dispose() => Children.Dispose();
}
