namespace Lab.Experiments.Schema;

/// <summary>
/// One key of the experiment format: its dotted path, type, default, description and limits. The
/// validator, <c>resolved.yaml</c>, <c>scenarios/experiment.schema.json</c> and the key reference in
/// <c>scenarios/README.md</c> are all generated from these, so they cannot drift apart.
/// </summary>
/// <param name="Path">Dotted path such as <c>chain.block.timeout</c>; list items are described as <c>faults[].at</c>.</param>
public sealed record SchemaKey(string Path, KeyType Type, string Description)
{
    /// <summary>The default as it would be written in YAML; null: the key is optional and has none.</summary>
    public string? Default { get; init; }
    /// <summary>The run cannot start without it.</summary>
    public bool Required { get; init; }
    /// <summary>Smallest allowed value, in the type's base unit (count, seconds, bytes, bits/s, per second).</summary>
    public double? Min { get; init; }
    public double? Max { get; init; }
    /// <summary>Allowed values of a choice (null: any). For choices from the model registry this is filled at schema build time.</summary>
    public IReadOnlyList<string>? Allowed { get; init; }
    /// <summary>Documented for items of a list (e.g. a fault), not bound from the experiment's top-level tree.</summary>
    public bool ItemKey { get; init; }

    public string Name => Path[(Path.LastIndexOf('.') + 1)..];
}
