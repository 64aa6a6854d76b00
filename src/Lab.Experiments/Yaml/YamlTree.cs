namespace Lab.Experiments.Yaml;

/// <summary>Where a node starts in its source: file (as the user named it), 1-based line and column.</summary>
public readonly record struct SourceMark(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>
/// A YAML node that remembers where it came from, so every validation error can name file, line and
/// column. Built from YamlDotNet's event stream (not its object model) to see duplicate keys.
/// </summary>
public abstract record YNode(SourceMark Mark);

/// <summary>A plain or quoted scalar. <see cref="Quoted"/> scalars are never numbers or booleans.</summary>
public sealed record YScalar(SourceMark Mark, string Value, bool Quoted = false) : YNode(Mark)
{
    /// <summary>YAML's null (<c>~</c>, <c>null</c> or an empty plain scalar).</summary>
    public bool IsNull => !Quoted && Value is "" or "~" or "null" or "Null" or "NULL";
}

public sealed record YSequence(SourceMark Mark, IReadOnlyList<YNode> Items) : YNode(Mark);

/// <summary>A mapping in source order. Keys are scalars (complex keys are rejected by the reader).</summary>
public sealed record YMapping(SourceMark Mark, IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries) : YNode(Mark)
{
    public YNode? this[string key]
    {
        get
        {
            foreach (var (k, v) in Entries) if (k.Value == key) return v;
            return null;
        }
    }
}
