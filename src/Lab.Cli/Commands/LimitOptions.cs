using Lab.Experiments.Validation;

namespace Lab.Cli.Commands;

/// <summary><c>--limit NAME=N</c> (repeatable): raises one of the bounds on what validation reads.</summary>
public static class LimitOptions
{
    public static InputLimits Parse(Options o)
    {
        var limits = InputLimits.Default;
        foreach (var l in o.All("--limit"))
            limits = limits.With(l, out var error) ?? throw new UsageException(error!);
        return limits;
    }
}
