using Lab.Experiments;
using Lab.Experiments.Running;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary>One line per finished run: for logs, CI and pipes.</summary>
/// <param name="already">Runs finished before this invocation (a resumed sweep); the ETA counts only the rest.</param>
public sealed class PlainProgress(IAnsiConsole output, int total, int already = 0) : IRunProgress
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly int _already = already;
    private int _done = already;

    private RunEta? _eta;   // the time left from what finished runs took (runs start costliest first)
    public void Planned(IReadOnlyList<RunSpec> order, int slots) => _eta = new RunEta(order, slots);
    public void Started(RunSpec run) => _eta?.Started(run);
    private int _lastTenth;

    /// <summary>A single run can be long: report its virtual time every 10%.</summary>
    public void Advanced(RunSpec run, double fraction)
    {
        _eta?.Advanced(run, fraction);
        if (total != 1) return;
        lock (_lock)
        {
            var tenth = (int)(fraction * 10);
            if (tenth <= _lastTenth || tenth >= 10) return;
            _lastTenth = tenth;
            var duration = run.Point.Config.Time("duration");
            output.Profile.Out.Writer.WriteLine($"{run.Label}: {tenth * 10}% of virtual time ({duration.TotalSeconds * fraction:0}s of {duration.TotalSeconds:0}s), elapsed {_clock.Elapsed:hh\\:mm\\:ss}");
        }
    }

    public void Finished(RunSpec run)
    {
        lock (_lock)
        {
            _done++;
            _eta?.Finished(run);
            var elapsed = _clock.Elapsed;
            var eta = _eta?.Remaining() ?? TimeSpan.FromSeconds(elapsed.TotalSeconds / (_done - _already) * (total - _done));
            output.Profile.Out.Writer.WriteLine($"[{_done}/{total}] {run.Label} done, elapsed {elapsed:hh\\:mm\\:ss}, eta {eta:hh\\:mm\\:ss}");
        }
    }
}
