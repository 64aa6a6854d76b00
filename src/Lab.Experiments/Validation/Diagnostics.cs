using Lab.Experiments.Yaml;

namespace Lab.Experiments.Validation;

/// <summary>One problem with an experiment: where, which key, what is wrong.</summary>
public sealed record Diagnostic(SourceMark Mark, string Key, string Message)
{
    /// <summary><c>file:line:col: key: message</c> (the key part is left out when there is none).</summary>
    public override string ToString() => Key.Length == 0 ? $"{Mark}: {Message}" : $"{Mark}: {Key}: {Message}";
}

/// <summary>
/// Collects every problem instead of stopping at the first, keeping at most <paramref name="keep"/> of
/// them (the first ones found) and counting the rest, so a file with 100,000 mistakes costs neither
/// minutes nor 100,000 lines.
/// </summary>
public sealed class Diagnostics(int keep = 100)
{
    private readonly List<Diagnostic> _errors = [];
    private readonly HashSet<Diagnostic> _seen = [];

    /// <summary>The errors kept (at most the limit given).</summary>
    public IReadOnlyList<Diagnostic> Errors => _errors;
    public bool HasErrors => Count > 0;
    /// <summary>All distinct errors reported, kept or not.</summary>
    public int Count { get; private set; }
    /// <summary>Errors reported but not kept.</summary>
    public int Dropped => Count - _errors.Count;
    /// <summary>No more errors are kept: callers may skip costly wording such as "did you mean".</summary>
    public bool Full => _errors.Count >= keep;

    /// <summary>Longest message kept: a message that quotes a value (a 2 MB line) is cut, so each error stays one readable line.</summary>
    public const int MaxMessage = 400;

    public void Error(SourceMark mark, string key, string message)
    {
        if (message.Length > MaxMessage) message = message[..(MaxMessage - 1)] + "…";
        if (key.Length > MaxMessage) key = key[..(MaxMessage - 1)] + "…";
        var d = new Diagnostic(mark, key, message);
        if (Full)
        {
            // Past the limit only a count is kept; an exact duplicate of a kept one is still not counted twice.
            if (!_seen.Contains(d)) Count++;
            return;
        }
        if (!_seen.Add(d)) return;
        _errors.Add(d);
        Count++;
    }

    /// <summary>Errors in source order (file, line, column), for stable output.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        [.. _errors.OrderBy(e => e.Mark.File, StringComparer.Ordinal).ThenBy(e => e.Mark.Line).ThenBy(e => e.Mark.Column)];
}
