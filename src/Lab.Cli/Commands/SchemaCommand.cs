using Spectre.Console;
using Lab.Experiments.Schema;

namespace Lab.Cli.Commands;

/// <summary>
/// Hidden verb: <c>lab schema</c> prints the JSON Schema; <c>lab schema --write</c> regenerates
/// <c>scenarios/experiment.schema.json</c> and the key reference in <c>scenarios/README.md</c>.
/// </summary>
public static class SchemaCommand
{
    public static int Execute(CliApp app, string[] args)
    {
        var o = Options.Parse(args, new HashSet<string>(), new HashSet<string> { "--write" });
        var schema = ExperimentSchema.For(app.Registry);
        if (!o.Has("--write")) { app.Output.Profile.Out.Writer.Write(schema.ToJsonSchema()); return ExitCode.Ok; }
        var root = RepositoryRoot() ?? throw new UsageException("run 'lab schema --write' inside the repository (no Lab.sln found above the current folder)");
        var scenarios = Path.Combine(root, "scenarios");
        Directory.CreateDirectory(scenarios);
        File.WriteAllText(Path.Combine(scenarios, "experiment.schema.json"), schema.ToJsonSchema());
        var readmePath = Path.Combine(scenarios, "README.md");
        var readme = File.Exists(readmePath) ? File.ReadAllText(readmePath) : "# Scenarios\n";
        File.WriteAllText(readmePath, ExperimentSchema.SpliceReference(readme, schema.ToMarkdownReference(app.Registry)));
        app.Output.WriteLine($"wrote {Path.Combine(scenarios, "experiment.schema.json")} and the key reference in {readmePath}");
        return ExitCode.Ok;
    }

    public static string? RepositoryRoot()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Lab.sln"))) return d.FullName;
        return null;
    }
}
