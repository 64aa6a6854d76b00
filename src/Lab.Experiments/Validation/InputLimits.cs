using System.Globalization;

namespace Lab.Experiments.Validation;

/// <summary>
/// Bounds on everything validation reads, so that no input (a huge or endless file, a deeply nested or
/// self-multiplying YAML tree, an astronomically large sweep, a flood of mistakes) can exhaust memory or
/// time. Each limit is far above what a real experiment needs; <c>--limit NAME=N</c> raises one, and
/// every message that hits a limit says so.
/// </summary>
public sealed record InputLimits
{
    public static InputLimits Default { get; } = new();

    /// <summary>Largest experiment or preset file, in bytes (4 MiB: the largest ready file is a few KB).</summary>
    public long FileSize { get; init; } = 4L << 20;
    /// <summary>Largest data file an experiment names (a trace, an empirical CDF), in bytes.</summary>
    public long DataSize { get; init; } = 64L << 20;
    /// <summary>Deepest nesting of YAML lists and mappings (an experiment needs about 6).</summary>
    public int Depth { get; init; } = 64;
    /// <summary>Most YAML nodes in one file, counting every use of an alias as a copy (stops "billion laughs").</summary>
    public long Nodes { get; init; } = 1_000_000;
    /// <summary>Most errors printed for one file (the count of the rest is still given).</summary>
    public int Errors { get; init; } = 100;
    /// <summary>Most runs in one experiment: variants × sweep points × replications, counted before any is expanded.</summary>
    public long Runs { get; init; } = 100_000;
    /// <summary>Most bins per time series of one run (duration / outputs.series-bin): each bin is kept in memory for every series on every node.</summary>
    public long SeriesBins { get; init; } = 1_000_000;

    /// <summary>The names <c>--limit</c> accepts, with what each bounds.</summary>
    public static readonly IReadOnlyList<(string Name, string Meaning)> Names =
    [
        ("file-size", "experiment and preset files, bytes (4MiB)"),
        ("data-size", "traces and empirical CDFs, bytes (64MiB)"),
        ("depth", "YAML nesting (64)"),
        ("nodes", "YAML nodes, aliases counted as copies (1000000)"),
        ("errors", "errors printed per file (100)"),
        ("runs", "variants × sweep points × replications (100000)"),
        ("series-bins", "time-series bins per run, duration / outputs.series-bin (1000000)"),
    ];

    /// <summary>How a message tells the user to raise a limit.</summary>
    public static string Raise(string name) => $"raise it with --limit {name}=N";

    /// <summary>This with one limit changed, from <c>name=value</c>; null and an error message if it is not one.</summary>
    public InputLimits? With(string assignment, out string? error)
    {
        error = null;
        var eq = assignment.IndexOf('=');
        var name = eq < 0 ? assignment : assignment[..eq];
        var text = eq < 0 ? "" : assignment[(eq + 1)..];
        if (Names.All(n => n.Name != name))
        {
            error = $"--limit: unknown limit '{name}' (known: {string.Join(", ", Names.Select(n => n.Name))})";
            return null;
        }
        long value;
        if (name is "file-size" or "data-size")
        {
            if (Values.Units.Size(text, out var size) is null) value = size.Bytes;
            else if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)) value = -1;
        }
        else if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)) value = -1;
        if (value < 1 || (name is "depth" or "errors" && value > int.MaxValue))
        {
            error = $"--limit {name}: expected a positive whole number{(name.EndsWith("size", StringComparison.Ordinal) ? " or a size such as 64MB" : "")}, got '{text}'";
            return null;
        }
        return name switch
        {
            "file-size" => this with { FileSize = value },
            "data-size" => this with { DataSize = value },
            "depth" => this with { Depth = (int)value },
            "nodes" => this with { Nodes = value },
            "errors" => this with { Errors = (int)value },
            "runs" => this with { Runs = value },
            _ => this with { SeriesBins = value },
        };
    }
}
