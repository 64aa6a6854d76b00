using System.Text;
using Lab.Experiments.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Lab.Experiments.Yaml;

/// <summary>
/// Reads YAML text into <see cref="YNode"/>s with source marks. Rejects what an experiment file
/// never needs and what usually hides a mistake: tabs in indentation, duplicate keys, complex keys,
/// several documents, binary content. Problems go to the <see cref="Diagnostics"/>; the result is
/// null when the text cannot be read at all. Reading is bounded (<see cref="InputLimits"/>): nesting
/// deeper than <see cref="InputLimits.Depth"/> and trees larger than <see cref="InputLimits.Nodes"/>
/// nodes (every use of an alias counted as a copy of what it names) are refused, not followed.
/// </summary>
public static class YamlReader
{
    public static YNode? Read(string file, byte[] bytes, Diagnostics diagnostics, InputLimits? limits = null)
    {
        var start = new SourceMark(file, 1, 1);
        if (bytes.Length == 0 || bytes.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            diagnostics.Error(start, "", "the file is empty: an experiment needs at least a name");
            return null;
        }
        string text;
        try { text = new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException)
        {
            diagnostics.Error(start, "", "the file is not UTF-8 text (is it a binary file?)");
            return null;
        }
        if (text.Contains('\0') || text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            diagnostics.Error(start, "", "the file contains control characters (is it a binary file?)");
            return null;
        }
        return Read(file, text, diagnostics, limits);
    }

    public static YNode? Read(string file, string text, Diagnostics diagnostics, InputLimits? limits = null)
    {
        limits ??= InputLimits.Default;
        text = text.TrimStart('\uFEFF');
        var lines = text.Split('\n');
        var tabErrors = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t');
            if (tab >= 0 && tab < indent)
            {
                diagnostics.Error(new SourceMark(file, i + 1, tab + 1), "", "a tab in the indentation: YAML indents with spaces only");
                tabErrors++;
            }
        }
        if (tabErrors > 0) return null;

        var parser = new Parser(new StringReader(ProtectCalls(text)));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                diagnostics.Error(new SourceMark(file, 1, 1), "", "the file is empty: an experiment needs at least a name");
                return null;
            }
            parser.Consume<DocumentStart>();
            var root = new TreeReader(file, parser, diagnostics, limits).Node(0);
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _))
            {
                var at = Mark(file, parser.Current!.Start);
                diagnostics.Error(at, "", "a second YAML document ('---'): an experiment file holds one document");
                return null;
            }
            return root;
        }
        catch (TooLargeException e)
        {
            diagnostics.Error(e.Mark, "", e.Message);
            return null;
        }
        catch (YamlException e)
        {
            diagnostics.Error(Mark(file, e.Start), "", "YAML syntax error: " + Describe(e));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up this way when the text ends inside [ ] or { }.
            var last = text.TrimEnd('\n').Split('\n').Length;
            diagnostics.Error(new SourceMark(file, last, 1), "", "YAML syntax error: the file ends inside brackets: a '[' or '{' is not closed");
            return null;
        }
    }

    private sealed class TooLargeException(SourceMark mark, string message) : Exception(message)
    {
        public SourceMark Mark { get; } = mark;
    }

    /// <summary>Builds the tree from the event stream, counting depth and nodes as it goes.</summary>
    private sealed class TreeReader(string file, IParser parser, Diagnostics diagnostics, InputLimits limits)
    {
        private readonly Dictionary<string, (YNode Node, long Size)> _anchors = new(StringComparer.Ordinal);
        private long _nodes;

        public YNode Node(int depth)
        {
            var ev = parser.Current ?? throw new YamlException("unexpected end of file");
            var mark = Mark(file, ev.Start);
            if (depth > limits.Depth)
                throw new TooLargeException(mark, $"nested more than {limits.Depth} levels deep ({InputLimits.Raise("depth")})");
            var before = _nodes;
            Count(mark, 1);
            YNode node;
            switch (ev)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                        throw new YamlException(ev.Start, ev.End, $"unknown alias '*{alias.Value.Value}'");
                    // An alias is a copy of what it names wherever the tree is walked: count it as one.
                    Count(mark, target.Size - 1);
                    return target.Node;
                case Scalar s:
                    parser.MoveNext();
                    node = new YScalar(mark, Restore(s.Value), s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded);
                    Anchor(s.Anchor, node, before);
                    return node;
                case SequenceStart ss:
                    parser.MoveNext();
                    var items = new List<YNode>();
                    while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(Node(depth + 1));
                    node = new YSequence(mark, items);
                    Anchor(ss.Anchor, node, before);
                    return node;
                case MappingStart ms:
                    parser.MoveNext();
                    var entries = new List<KeyValuePair<YScalar, YNode>>();
                    var seen = new Dictionary<string, SourceMark>(StringComparer.Ordinal);
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var keyNode = Node(depth + 1);
                        var value = Node(depth + 1);
                        if (keyNode is not YScalar key)
                        {
                            diagnostics.Error(keyNode.Mark, "", "a key must be a plain name, not a list or a mapping");
                            continue;
                        }
                        if (seen.TryGetValue(key.Value, out var first))
                        {
                            diagnostics.Error(key.Mark, key.Value, $"duplicate key (first given at line {first.Line})");
                            continue;
                        }
                        seen[key.Value] = key.Mark;
                        entries.Add(new(key, value));
                    }
                    node = new YMapping(mark, entries);
                    Anchor(ms.Anchor, node, before);
                    return node;
                default:
                    throw new YamlException(ev.Start, ev.End, $"unexpected {ev.GetType().Name}");
            }
        }

        private void Count(SourceMark mark, long n)
        {
            _nodes += n;
            if (_nodes > limits.Nodes)
                throw new TooLargeException(mark, $"more than {limits.Nodes} YAML nodes (aliases counted as copies of what they name; {InputLimits.Raise("nodes")})");
        }

        private void Anchor(AnchorName anchor, YNode node, long before)
        {
            if (!anchor.IsEmpty) _anchors[anchor.Value] = (node, _nodes - before);
        }
    }

    // Distributions are written like calls, `lognormal(mu: 3, sigma: 0.5)`, which plain YAML would
    // read as a mapping (": ") or, inside { } and [ ], split at the comma. Inside the parentheses of
    // a call, commas and ": " are swapped for look-alike characters of the same length (so line and
    // column marks stay right) and swapped back in scalar values.
    private const char Comma = '\u201A', Space = '\u2007';

    private static string ProtectCalls(string text)
    {
        var chars = text.ToCharArray();
        int depth = 0;
        char quote = '\0';
        for (int i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (c == '\n') { depth = 0; quote = '\0'; continue; }
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (depth == 0)
            {
                if (c is '"' or '\'' && (i == 0 || chars[i - 1] is ' ' or '[' or '{' or ',' or ':')) quote = c;
                else if (c == '#' && (i == 0 || chars[i - 1] is ' ')) { while (i + 1 < chars.Length && chars[i + 1] != '\n') i++; }
                else if (c == '(' && i > 0 && char.IsAsciiLetterOrDigit(chars[i - 1])) depth = 1;
                continue;
            }
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',') chars[i] = Comma;
            else if (c == ' ' && chars[i - 1] == ':') chars[i] = Space;
        }
        return new string(chars);
    }

    private static string Restore(string value) =>
        value.IndexOf(Comma) < 0 && value.IndexOf(Space) < 0 ? value : value.Replace(Comma, ',').Replace(Space, ' ');

    private static SourceMark Mark(string file, Mark m) => new(file, (int)Math.Max(1, m.Line), (int)Math.Max(1, m.Column));

    /// <summary>YamlDotNet's messages start with "(Line: 3, Col: 5, Idx: 20) - (...)": the mark is printed separately.</summary>
    private static string Describe(YamlException e)
    {
        var msg = e.Message;
        var dash = msg.IndexOf("): ", StringComparison.Ordinal);
        if (msg.StartsWith("(Line:", StringComparison.Ordinal) && dash > 0) msg = msg[(dash + 3)..];
        return msg.TrimEnd('.');
    }
}
