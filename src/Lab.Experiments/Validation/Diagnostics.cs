using Lab.Experiments.Yaml;

namespace Lab.Experiments.Validation;

/// <summary>One problem with an experiment: where, which key, what is wrong.</summary>
public sealed record Diagnostic(SourceMark Mark, string Key, string Message)
{
    /// <summary><c>file:line:col: key: message</c> (the key part is left out when there is none).</summary>
    public override string ToString() => Key.Length == 0 ? $"{Mark}: {Message}" : $"{Mark}: {Key}: {Message}";
}

/// <summary>Collects every problem instead of stopping at the first.</summary>
public sealed class Diagnostics
{
    private readonly List<Diagnostic> _errors = [];
    public IReadOnlyList<Diagnostic> Errors => _errors;
    public bool HasErrors => _errors.Count > 0;

    public void Error(SourceMark mark, string key, string message)
    {
        var d = new Diagnostic(mark, key, message);
        if (!_errors.Contains(d)) _errors.Add(d);
    }

    /// <summary>Errors in source order (file, line, column), for stable output.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        [.. _errors.OrderBy(e => e.Mark.File, StringComparer.Ordinal).ThenBy(e => e.Mark.Line).ThenBy(e => e.Mark.Column)];
}
