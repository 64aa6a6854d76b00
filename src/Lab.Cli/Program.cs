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
var app = new CliApp(AnsiConsole.Console, AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }), interactive);
return app.Run(args, cancel.Token);
