using Lab.Experiments.Models;
using Lab.Experiments.Results;
using Lab.Reports;
using Spectre.Console;

namespace Lab.Cli;

/// <summary>Exit codes of <c>lab</c> (also in <c>lab --help</c> and the README).</summary>
public static class ExitCode
{
    public const int Ok = 0;
    /// <summary>A run failed, or the results could not be written once runs had started (the finished runs are kept).</summary>
    public const int RunFailed = 1;
    /// <summary>Bad command line, invalid experiment, or a results folder that cannot be made or resumed: nothing ran.</summary>
    public const int Invalid = 2;
    /// <summary>A run violated safety although the experiment expects it to hold.</summary>
    public const int SafetyViolated = 3;
    /// <summary>Interrupted by Ctrl-C (SIGINT), SIGTERM or SIGHUP; every finished run is kept.</summary>
    public const int Cancelled = 130;
}

/// <summary>
/// The <c>lab</c> command: verbs run, validate, verify, list, fuzz, replay, size, worker, query (and the hidden schema). Output goes to
/// <paramref name="output"/>; errors to <paramref name="errors"/>.
/// </summary>
/// <param name="interactive">Draw live progress (a terminal); otherwise print plain lines.</param>
/// <param name="report">Writes the report files; <see cref="ReportWriter.WriteAll"/> unless a test isolates it.</param>
/// <param name="files">How results are written; the real disk unless a test stands in a full or failing one.</param>
public sealed class CliApp(IAnsiConsole output, IAnsiConsole errors, bool interactive, ModelRegistry? registry = null, ReportFiles? report = null, DurableFiles? files = null)
{
    public ModelRegistry Registry { get; } = registry ?? ModelRegistry.Default;
    public ReportFiles Report { get; } = report ?? ReportWriter.WriteAll;
    public DurableFiles Files { get; } = files ?? DurableFiles.Disk;
    /// <summary>Set by whoever cancels the run (e.g. "SIGTERM"), for the messages and the manifest.</summary>
    public string? InterruptedBy { get; set; }
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
        if (args[0] is "--version" or "-v") { output.WriteLine(LabBuild.Version); return ExitCode.Ok; }
        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "run" => Commands.RunCommand.Execute(this, rest, cancel),
                "validate" => Commands.ValidateCommand.Execute(this, rest),
                "verify" => Commands.VerifyCommand.Execute(this, rest, cancel),
                "list" => Commands.ListCommand.Execute(this, rest),
                "fuzz" => Commands.FuzzCommand.Execute(this, rest, cancel),
                "replay" => Commands.ReplayCommand.Execute(this, rest, cancel),
                "size" => Commands.SizeCommand.Execute(this, rest, cancel),
                "worker" => Commands.WorkerCommand.Execute(this, rest, cancel),
                "query" => Commands.QueryCommand.Execute(this, rest),
                "schema" => Commands.SchemaCommand.Execute(this, rest),
                _ => Usage($"unknown command '{args[0]}'" + (Lab.Experiments.Schema.Suggest.Closest(args[0], ["run", "validate", "verify", "list", "fuzz", "replay", "size", "worker", "query"]) is { } s ? $"; did you mean '{s}'?" : "")),
            };
        }
        catch (UsageException e) { return Usage(e.Message); }
    }

    /// <summary>A one-line error (no exception names, no stack trace) and the exit code to return.</summary>
    public int Fail(string message, int code)
    {
        // Written as it is, never wrapped: a path in the message must stay whole for the user to copy.
        errors.Markup("[red]error:[/] ");
        errors.Profile.Out.Writer.WriteLine(message);
        return code;
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
