using Lab.Experiments.Models;
using Lab.Experiments.Schema;
using Lab.Experiments.Yaml;

namespace Lab.Experiments.Validation;

/// <summary>
/// Turns a YAML mapping into values by dotted path, checking each key against the schema. Nested
/// sections and dotted keys are equivalent: <c>chain: { nodes: 4 }</c> is <c>chain.nodes: 4</c>.
/// </summary>
public sealed class ConfigBinder(ExperimentSchema schema, Diagnostics diagnostics, string baseDirectory, InputFiles? files = null)
{
    /// <param name="skipAtRoot">Top-level keys read by someone else (variants, sweep).</param>
    public Dictionary<string, ConfigValue> Bind(YMapping map, string origin, string prefix = "", IReadOnlySet<string>? skipAtRoot = null)
    {
        var layer = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        var marks = new Dictionary<string, SourceMark>(StringComparer.Ordinal);
        BindInto(map, prefix, origin, layer, marks, skipAtRoot);
        return layer;
    }

    private void BindInto(YMapping map, string prefix, string origin, Dictionary<string, ConfigValue> layer, Dictionary<string, SourceMark> marks, IReadOnlySet<string>? skip)
    {
        foreach (var (k, v) in map.Entries)
        {
            if (prefix.Length == 0 && skip is not null && skip.Contains(k.Value)) continue;
            var path = prefix.Length == 0 ? k.Value : prefix + "." + k.Value;
            BindValue(path, k, v, origin, layer, marks);
        }
    }

    /// <summary>Binds one value given by its full path (a file entry, a variant entry, a --set).</summary>
    public void BindValue(string path, YScalar keyNode, YNode value, string origin, Dictionary<string, ConfigValue> layer, Dictionary<string, SourceMark>? marks = null)
    {
        marks ??= new Dictionary<string, SourceMark>(StringComparer.Ordinal);
        if (path.Length == 0 || path.Split('.').Any(p => p.Length == 0))
        {
            diagnostics.Error(keyNode.Mark, path, "not a key name");
            return;
        }
        if (schema.Leaf(path) is { } key)
        {
            if (marks.TryGetValue(path, out var first))
            {
                diagnostics.Error(keyNode.Mark, path, $"given twice (first at line {first.Line})");
                return;
            }
            marks[path] = keyNode.Mark;
            var parsed = key.Type.Parse(value, key, new ValueContext(baseDirectory, diagnostics, path, files));
            if (parsed is not null) layer[path] = new ConfigValue(parsed, value, origin);
            return;
        }
        if (schema.IsSection(path))
        {
            switch (value)
            {
                case YMapping m: BindInto(m, path, origin, layer, marks, null); return;
                case YScalar { IsNull: true }: return;
                default:
                    diagnostics.Error(value.Mark, path, $"is a section: expected keys under it ({string.Join(", ", schema.ChildrenOf(path))}), got {ScalarType<int>.Describe(value)}");
                    return;
            }
        }
        // Past the error limit only a count is kept: skip the costly search for a "did you mean".
        var hint = diagnostics.Full ? null : schema.SuggestFor(path);
        diagnostics.Error(keyNode.Mark, path, hint is null ? "unknown key" : $"unknown key; did you mean '{hint}'?");
    }
}
