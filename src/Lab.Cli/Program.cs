using System.Runtime.InteropServices;
using Lab.Cli;
using Spectre.Console;

var cancel = new CancellationTokenSource();
var interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null or "";
var output = AnsiConsole.Console;
var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
// Redirected output has no terminal width; Spectre would assume 80 columns and wrap tables and messages.
if (Console.IsOutputRedirected) output.Profile.Width = 160;
if (Console.IsErrorRedirected) errors.Profile.Width = 160;
var app = new CliApp(output, errors, interactive);

// Ctrl-C, SIGTERM (a batch scheduler, `timeout`, a container stop) and SIGHUP (a closed SSH session)
// all stop the runs cleanly: every finished run is already on disk, the folder is kept and resumable.
// A second signal is not intercepted and ends the process at once (the finished runs are still kept).
void Stop(PosixSignalContext context)
{
    if (cancel.IsCancellationRequested) return;
    context.Cancel = true;
    app.InterruptedBy = context.Signal switch { PosixSignal.SIGTERM => "SIGTERM", PosixSignal.SIGHUP => "SIGHUP", _ => "Ctrl-C" };
    cancel.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
try
{
    return app.Run(args, cancel.Token);
}
catch (IOException) when (cancel.IsCancellationRequested)
{
    // The terminal went away (SIGHUP) while printing; the results were written before anything was printed.
    return ExitCode.Cancelled;
}
