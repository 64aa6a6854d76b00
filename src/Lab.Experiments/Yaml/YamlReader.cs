using System.Text;
using Lab.Experiments.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Lab.Experiments.Yaml;

/// <summary>
/// Reads YAML text into <see cref="YNode"/>s with source marks. Rejects what an experiment file
/// never needs and what usually hides a mistake: tabs in indentation, duplicate keys, complex keys,
/// several documents, binary content. Problems go to the <see cref="Diagnostics"/>; the result is
/// null when the text cannot be read at all.
/// </summary>
public static class YamlReader
{
    public static YNode? Read(string file, byte[] bytes, Diagnostics diagnostics)
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
        return Read(file, text, diagnostics);
    }

    public static YNode? Read(string file, string text, Diagnostics diagnostics)
    {
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
            var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
            var root = ReadNode(file, parser, anchors, diagnostics);
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _))
            {
                var at = Mark(file, parser.Current!.Start);
                diagnostics.Error(at, "", "a second YAML document ('---'): an experiment file holds one document");
                return null;
            }
            return root;
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

    private static YNode ReadNode(string file, IParser parser, Dictionary<string, YNode> anchors, Diagnostics diagnostics)
    {
        var ev = parser.Current ?? throw new YamlException("unexpected end of file");
        var mark = Mark(file, ev.Start);
        YNode node;
        switch (ev)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (anchors.TryGetValue(alias.Value.Value, out var target)) return target;
                throw new YamlException(ev.Start, ev.End, $"unknown alias '*{alias.Value.Value}'");
            case Scalar s:
                parser.MoveNext();
                node = new YScalar(mark, Restore(s.Value), s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded);
                if (!s.Anchor.IsEmpty) anchors[s.Anchor.Value] = node;
                return node;
            case SequenceStart ss:
                parser.MoveNext();
                var items = new List<YNode>();
                while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(ReadNode(file, parser, anchors, diagnostics));
                node = new YSequence(mark, items);
                if (!ss.Anchor.IsEmpty) anchors[ss.Anchor.Value] = node;
                return node;
            case MappingStart ms:
                parser.MoveNext();
                var entries = new List<KeyValuePair<YScalar, YNode>>();
                var seen = new Dictionary<string, SourceMark>(StringComparer.Ordinal);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyNode = ReadNode(file, parser, anchors, diagnostics);
                    var value = ReadNode(file, parser, anchors, diagnostics);
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
                if (!ms.Anchor.IsEmpty) anchors[ms.Anchor.Value] = node;
                return node;
            default:
                throw new YamlException(ev.Start, ev.End, $"unexpected {ev.GetType().Name}");
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
