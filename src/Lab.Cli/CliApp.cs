using Lab.Experiments.Models;
using Lab.Experiments.Results;
using Lab.Reports;
using Spectre.Console;

namespace Lab.Cli;

/// <summary>Exit codes of <c>lab</c>.</summary>
public static class ExitCode
{
    public const int Ok = 0;
    /// <summary>A run failed (an exception, or writing the results failed).</summary>
    public const int RunFailed = 1;
    /// <summary>Bad command line or invalid experiment: nothing ran.</summary>
    public const int Invalid = 2;
    /// <summary>A run violated safety although the experiment expects it to hold.</summary>
    public const int SafetyViolated = 3;
    public const int Cancelled = 130;
}

/// <summary>
/// The <c>lab</c> command: verbs run, validate, verify, list (and the hidden schema). Output goes to
/// <paramref name="output"/>; errors to <paramref name="errors"/>.
/// </summary>
/// <param name="interactive">Draw live progress (a terminal); otherwise print plain lines.</param>
/// <param name="report">Writes the report files; <see cref="ReportWriter.WriteAll"/> unless a test isolates it.</param>
public sealed class CliApp(IAnsiConsole output, IAnsiConsole errors, bool interactive, ModelRegistry? registry = null, ReportFiles? report = null)
{
    public ModelRegistry Registry { get; } = registry ?? ModelRegistry.Default;
    public ReportFiles Report { get; } = report ?? ReportWriter.WriteAll;
    public IAnsiConsole Output => output;
    public IAnsiConsole Errors => errors;
    public bool Interactive => interactive;

    public int Run(string[] args, CancellationToken cancel = default)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            if (args.Length > 1 && args[0] == "help") return Run([args[1], "--help"], cancel);
            Help.Overview(output);
            return ExitCode.Ok;
        }
        if (args[0] is "--version" or "-v") { output.WriteLine(ResultStore.LabVersion); return ExitCode.Ok; }
        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "run" => Commands.RunCommand.Execute(this, rest, cancel),
                "validate" => Commands.ValidateCommand.Execute(this, rest),
                "verify" => Commands.VerifyCommand.Execute(this, rest, cancel),
                "list" => Commands.ListCommand.Execute(this, rest),
                "schema" => Commands.SchemaCommand.Execute(this, rest),
                _ => Usage($"unknown command '{args[0]}'" + (Lab.Experiments.Schema.Suggest.Closest(args[0], ["run", "validate", "verify", "list"]) is { } s ? $"; did you mean '{s}'?" : "")),
            };
        }
        catch (UsageException e) { return Usage(e.Message); }
    }

    public int Usage(string message)
    {
        errors.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        errors.MarkupLine("Try [bold]lab --help[/].");
        return ExitCode.Invalid;
    }
}

/// <summary>A mistake on the command line (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
