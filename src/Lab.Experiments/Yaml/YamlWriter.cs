using System.Text;

namespace Lab.Experiments.Yaml;

/// <summary>Writes <see cref="YNode"/> trees back as readable block YAML (for <c>resolved.yaml</c>).</summary>
public static class YamlWriter
{
    public static void WriteEntry(StringBuilder sb, string key, YNode value, int indent)
    {
        var pad = new string(' ', indent);
        switch (value)
        {
            case YScalar s:
                sb.Append(pad).Append(key).Append(": ").Append(Scalar(s, flow: false)).Append('\n');
                break;
            case YSequence seq when seq.Items.Count == 0:
                sb.Append(pad).Append(key).Append(": []\n");
                break;
            case YSequence seq when seq.Items.All(i => i is YScalar):
                sb.Append(pad).Append(key).Append(": ").Append(Flow(seq)).Append('\n');
                break;
            case YSequence seq:
                sb.Append(pad).Append(key).Append(":\n");
                foreach (var item in seq.Items) WriteItem(sb, item, indent + 2);
                break;
            case YMapping map when map.Entries.Count == 0:
                sb.Append(pad).Append(key).Append(": {}\n");
                break;
            case YMapping map:
                sb.Append(pad).Append(key).Append(":\n");
                foreach (var (k, v) in map.Entries) WriteEntry(sb, Key(k.Value), v, indent + 2);
                break;
        }
    }

    private static void WriteItem(StringBuilder sb, YNode item, int indent)
    {
        var pad = new string(' ', indent);
        switch (item)
        {
            case YScalar s: sb.Append(pad).Append("- ").Append(Scalar(s, flow: false)).Append('\n'); break;
            case YSequence seq when seq.Items.All(i => i is YScalar): sb.Append(pad).Append("- ").Append(Flow(seq)).Append('\n'); break;
            case YMapping map when map.Entries.Count > 0:
                var inner = new StringBuilder();
                foreach (var (k, v) in map.Entries) WriteEntry(inner, Key(k.Value), v, indent + 2);
                var text = inner.ToString();
                sb.Append(pad).Append("- ").Append(text[(indent + 2)..]);
                break;
            case YSequence seq:
                sb.Append(pad).Append("-\n");
                foreach (var i in seq.Items) WriteItem(sb, i, indent + 2);
                break;
            default: sb.Append(pad).Append("- {}\n"); break;
        }
    }

    private static string Flow(YSequence seq) =>
        "[" + string.Join(", ", seq.Items.Select(i => i is YScalar s ? Scalar(s, flow: true) : "?")) + "]";

    private static string Key(string k) => IsPlain(k, flow: true) ? k : Quote(k);

    public static string Scalar(YScalar s, bool flow)
    {
        if (s.IsNull) return "null";
        return !s.Quoted && IsPlain(s.Value, flow) ? s.Value : Quote(s.Value);
    }

    private static bool IsPlain(string v, bool flow)
    {
        if (v.Length == 0 || v != v.Trim()) return false;
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(v[0]) && !(v[0] == '-' && v.Length > 1 && char.IsAsciiDigit(v[1]))) return false;
        if (v.Contains(": ") || v.Contains(" #") || v.EndsWith(':') || v.Contains('\n')) return false;
        if (flow && v.IndexOfAny([',', '[', ']', '{', '}']) >= 0) return false;
        return true;
    }

    private static string Quote(string v)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in v)
            sb.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\t' => "\\t", _ => c.ToString() });
        return sb.Append('"').ToString();
    }
}
