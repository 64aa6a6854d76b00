using Lab.Experiments;
using Lab.Experiments.Running;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary>One line per finished run: for logs, CI and pipes.</summary>
public sealed class PlainProgress(IAnsiConsole output, int total) : IRunProgress
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private int _done;

    public void Started(RunSpec run) { }
    public void Advanced(RunSpec run, double fraction) { }

    public void Finished(RunSpec run)
    {
        lock (_lock)
        {
            _done++;
            var elapsed = _clock.Elapsed;
            var eta = TimeSpan.FromSeconds(elapsed.TotalSeconds / _done * (total - _done));
            output.Profile.Out.Writer.WriteLine($"[{_done}/{total}] {run.Label} done, elapsed {elapsed:hh\\:mm\\:ss}, eta {eta:hh\\:mm\\:ss}");
        }
    }
}
