using Lab.Cli;
using Spectre.Console;

var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl-C: stop the runs cleanly (no half-written results); a second one kills the process.
    if (cancel.IsCancellationRequested) return;
    e.Cancel = true;
    cancel.Cancel();
};
var interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null or "";
var output = AnsiConsole.Console;
var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
// Redirected output has no terminal width; Spectre would assume 80 columns and wrap tables and messages.
if (Console.IsOutputRedirected) output.Profile.Width = 160;
if (Console.IsErrorRedirected) errors.Profile.Width = 160;
var app = new CliApp(output, errors, interactive);
return app.Run(args, cancel.Token);
