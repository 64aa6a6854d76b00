using Lab.Experiments;
using Lab.Experiments.Running;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary>
/// A live progress bar (Spectre.Console) for a terminal: runs done of total with elapsed time and
/// ETA; the bar also moves with the virtual time of the runs in flight, so a long single run shows
/// its progress too.
/// </summary>
public sealed class LiveProgress : IRunProgress
{
    private readonly Lock _lock = new();
    private readonly Dictionary<RunSpec, double> _inFlight = [];
    private int _done;

    public void Started(RunSpec run) { lock (_lock) _inFlight[run] = 0; }
    public void Advanced(RunSpec run, double fraction) { lock (_lock) _inFlight[run] = fraction; }
    public void Finished(RunSpec run) { lock (_lock) { _inFlight.Remove(run); _done++; } }

    private (double Value, int Done, string? Single) Snapshot()
    {
        lock (_lock)
        {
            var partial = _inFlight.Values.Sum();
            var single = _inFlight.Count == 1 ? _inFlight.First().Key.Label : null;
            return (_done + partial, _done, single);
        }
    }

    /// <param name="already">Runs finished before this invocation (a resumed sweep).</param>
    public static RunCommand.ExperimentResultOrError Run(IAnsiConsole console, int total, int already, Func<IRunProgress, Lab.Reports.ExperimentResult> run)
    {
        var progress = new LiveProgress();
        progress._done = already;
        RunCommand.ExperimentResultOrError? outcome = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"runs 0/{total}", maxValue: total);
                var worker = new Thread(() => outcome = RunCommand.Capture(() => run(progress))) { IsBackground = true };
                worker.Start();
                while (!worker.Join(150))
                {
                    var (value, done, single) = progress.Snapshot();
                    task.Value = value;
                    task.Description = $"runs {done}/{total}" + (single is not null && total == 1 ? "" : "") + (single is not null ? $" · {Markup.Escape(single)}" : "");
                    ctx.Refresh();
                }
                var (v, d, _) = progress.Snapshot();
                task.Value = v;
                task.Description = $"runs {d}/{total}";
            });
        return outcome!;
    }
}
