using Lab.Experiments;
using Lab.Experiments.Validation;
using Lab.Experiments.Yaml;
using Spectre.Console;

namespace Lab.Cli.Commands;

/// <summary><c>lab validate FILE...</c>: every problem of every file, exit 0 or 2.</summary>
public static class ValidateCommand
{
    public static int Execute(CliApp app, string[] args)
    {
        var o = Options.Parse(args, new HashSet<string> { "--set", "--limit" }, new HashSet<string> { "--help", "-h" });
        if (o.Has("--help") || o.Has("-h")) { Help.Validate(app.Output); return ExitCode.Ok; }
        if (o.Positionals.Count == 0) throw new UsageException("validate needs at least one experiment file");
        var limits = LimitOptions.Parse(o);
        var loader = new ExperimentLoader(app.Registry, limits);
        var failed = 0;
        foreach (var file in o.Positionals)
        {
            var d = new Diagnostics(limits.Errors);
            var e = Load(loader, file, [.. o.All("--set")], d);
            if (e is null)
            {
                failed++;
                PrintErrors(app.Errors, d);
            }
            else
            {
                var runs = e.Points.Count * e.Replications;
                app.Output.Profile.Out.Writer.WriteLine($"ok {file}: {e.Name}, {e.Points.Count} point(s) × {e.Replications} replication(s) = {runs} run(s)");
            }
        }
        return failed == 0 ? ExitCode.Ok : ExitCode.Invalid;
    }

    /// <summary>Loads, turning any unexpected exception into a diagnostic: validation never crashes.</summary>
    public static Experiment? Load(ExperimentLoader loader, string file, IReadOnlyList<string> sets, Diagnostics d)
    {
        try { return loader.Load(file, sets, d); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            d.Error(new Lab.Experiments.Yaml.SourceMark(file, 1, 1), "", "cannot read the file: " + ex.Message);
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug in validation must still not end in a stack trace for the user.
            d.Error(new Lab.Experiments.Yaml.SourceMark(file, 1, 1), "", $"internal error while validating ({ex.GetType().Name}: {ex.Message}); please report it");
            return null;
        }
    }

    public static void PrintErrors(IAnsiConsole c, Diagnostics d)
    {
        foreach (var e in d.Sorted()) c.Profile.Out.Writer.WriteLine(e.ToString());
        if (d.Dropped > 0)
            c.Profile.Out.Writer.WriteLine($"… and {d.Dropped} more error{(d.Dropped == 1 ? "" : "s")} not shown (the first {d.Errors.Count} found are; {InputLimits.Raise("errors")})");
        c.MarkupLine($"[red]{d.Count} error{(d.Count == 1 ? "" : "s")}[/]; nothing was run.");
    }
}
