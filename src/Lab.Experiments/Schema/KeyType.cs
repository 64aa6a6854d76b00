using System.Globalization;
using System.Text.Json;
using Lab.Experiments.Values;
using Lab.Experiments.Yaml;
using Lab.Sim.Network;
using Lab.Sim.Time;

namespace Lab.Experiments.Schema;

/// <summary>Where a value is being parsed: to report errors against its key, and to find and read files it names.</summary>
public sealed class ValueContext(string baseDirectory, Validation.Diagnostics diagnostics, string key, Validation.InputFiles? files = null)
{
    public string BaseDirectory { get; } = baseDirectory;
    public string Key { get; } = key;
    /// <summary>Reads the files a value names (traces, CDFs) within their limits.</summary>
    public Validation.InputFiles Files { get; } = files ?? new Validation.InputFiles(Validation.InputLimits.Default);
    public Validation.Diagnostics Diagnostics => diagnostics;
    public void Error(SourceMark mark, string message) => diagnostics.Error(mark, Key, message);
}

/// <summary>
/// The type of a key: how a YAML node becomes a value, how it is described in the key reference and
/// in the JSON Schema. Types with units check <see cref="SchemaKey.Min"/>/<see cref="SchemaKey.Max"/>
/// in their base unit.
/// </summary>
public abstract class KeyType
{
    /// <summary>Short name for the reference, e.g. "duration".</summary>
    public abstract string Name { get; }
    /// <summary>How to write it, e.g. "250ms, 2s, 1d".</summary>
    public abstract string Format { get; }
    /// <summary>Parses the node; reports problems to <paramref name="ctx"/> and returns null.</summary>
    public abstract object? Parse(YNode node, SchemaKey key, ValueContext ctx);
    /// <summary>Writes this type's JSON Schema properties (inside the key's object).</summary>
    public abstract void WriteJsonSchema(Utf8JsonWriter w, SchemaKey key);

    /// <summary>
    /// The range a value of this type must lie in when its key states none, in the type's base unit
    /// (count, seconds, bytes, bits/s, per second); a null end is open. Every numeric type has one, so
    /// no number reaches a run unchecked: a value outside it is an error at its own line and column.
    /// </summary>
    public virtual (double? Min, double? Max) DefaultRange => (null, null);

    /// <summary>The range of a key's values: its own <see cref="SchemaKey.Min"/>/<see cref="SchemaKey.Max"/>, else the type's.</summary>
    public (double? Min, double? Max) Range(SchemaKey key) => (key.Min ?? DefaultRange.Min, key.Max ?? DefaultRange.Max);

    /// <summary>The range for the key reference, e.g. "1 to 100000" or "0s to 3650d"; empty for non-numeric types.</summary>
    public virtual string DescribeRange(SchemaKey key)
    {
        var (min, max) = Range(key);
        if (min is null && max is null) return "";
        if (max is null) return "at least " + Show(key, min!.Value);
        if (min is null) return "at most " + Show(key, max.Value);
        return Show(key, min.Value) + " to " + Show(key, max.Value);
    }

    /// <summary>Largest virtual time any time key may hold: ten years keeps sums of times far from 64-bit nanosecond overflow.</summary>
    public const double MaxSeconds = 3650 * 86400.0;

    public static readonly KeyType Text = new ScalarType<string>("text", "any text", (s, _) => (s, null), "string");
    public static readonly KeyType Identifier = new ScalarType<string>("name", "letters, digits, '-', '_', '.'", ParseIdentifier, "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._+-]*$");
    // Default ranges: whole numbers fit the 32-bit counts models use; times stay within ten years; a
    // bandwidth of at least 1 kbps moves the largest allowed message (2 GB) in under a year; factors stay
    // within 1000x so that latency × factors never leaves 64-bit nanoseconds.
    public static readonly KeyType Integer = new ScalarType<long>("integer", "a whole number", Checked<long>(Units.Integer, v => v), "integer", range: (null, int.MaxValue));
    public static readonly KeyType Number = new ScalarType<double>("number", "a number", Checked<double>(Units.Number, v => v), "number", range: (-1e15, 1e15));
    public static readonly KeyType Boolean = new ScalarType<bool>("boolean", "true or false", ParseBool, "boolean");
    public static readonly KeyType Time = new ScalarType<Duration>("duration", "250ms, 2s, 1.5h, 1d", Checked<Duration>(Units.Duration, d => d.TotalSeconds), "string", pattern: "^[0-9._]+ ?(ns|us|µs|ms|s|min|m|h|d|w)$|^0$", range: (null, MaxSeconds));
    public static readonly KeyType SizeType = new ScalarType<Size>("size", "512B, 4KB, 1MB", Checked<Size>(Units.Size, s => s.Bytes), "string", pattern: "^[0-9._]+ ?(B|kB|KB|MB|GB|KiB|MiB|GiB)$", range: (0, int.MaxValue));
    public static readonly KeyType BandwidthType = new ScalarType<Bandwidth>("bandwidth", "100Mbps, 1Gbps, 12.5MB/s", Checked<Bandwidth>(Units.Bandwidth, b => b.BitsPerSecond), "string", range: (1e3, 1e15));
    public static readonly KeyType RateType = new ScalarType<Rate>("rate", "500/s, 30/min, 100/d", Checked<Rate>(Units.Rate, r => r.PerSecond), "string", pattern: "^[0-9._]+ ?/ ?(s|min|h|d)$", range: (null, 1e12));
    public static readonly KeyType MoneyType = new ScalarType<Money>("money", "1000000 CNY, 2.5M USD", Checked<Money>(Units.Money, m => (double)m.Amount), "string", range: (0, 1e15));
    public static readonly KeyType Probability = new ScalarType<double>("probability", "0.01 or 1%", (s, _) => Units.Probability(s, out var v) is { } e ? (0, e) : (v, null), "string", range: (0, 1));
    public static readonly KeyType Factor = new ScalarType<double>("factor", "5x", Checked<double>(Units.Factor, v => v), "string", range: (null, 1000));
    public static readonly KeyType TimeDistribution = new DistributionType(Dimension.Time);
    public static readonly KeyType NumberDistribution = new DistributionType(Dimension.Number);
    public static readonly KeyType Trace = new TraceType();
    public static readonly KeyType Instant = new InstantType();
    public static readonly KeyType ArrivalsType = new ScalarType<Arrivals>("arrivals", "poisson(rate: 500/s), constant(rate: 1000/s) or 500/s", ParseArrivals, "string");

    /// <summary>One of a fixed set of words (the key's <see cref="SchemaKey.Allowed"/>).</summary>
    public static readonly KeyType Choice = new ScalarType<string>("choice", "one of the listed values", (s, _) => (s, null), "string");

    public static KeyType ListOf(KeyType item) => new ListType(item);

    private static (string, string?) ParseIdentifier(string s, SchemaKey _) =>
        s.Length > 0 && char.IsAsciiLetterOrDigit(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+')
            ? (s, null) : (s, $"'{s}' is not a name: use letters, digits, '-', '_' and '.'");

    private static (bool, string?) ParseBool(string s, SchemaKey _) => s switch
    {
        "true" or "True" or "yes" => (true, null),
        "false" or "False" or "no" => (false, null),
        _ => (false, $"'{s}' is not true or false"),
    };

    private delegate string? Parser<T>(string text, out T value);

    private static Func<string, SchemaKey, (T, string?)> Checked<T>(Parser<T> parse, Func<T, double> magnitude) => (s, key) =>
    {
        var err = parse(s, out var v);
        if (err is not null) return (v, err);
        var m = magnitude(v);
        var (min, max) = key.Type.Range(key);
        if (min is { } lo && m < lo) return (v, lo == 0 ? $"must not be negative, got '{s}'" : $"must be at least {Show(key, lo)}, got '{s}'");
        if (max is { } hi && m > hi) return (v, $"must be at most {Show(key, hi)}, got '{s}'");
        return (v, null);
    };

    /// <summary>A value in the key's unit, as a person would write it.</summary>
    protected static string Show(SchemaKey key, double v)
    {
        var type = key.Type is ListType list ? list.Item : key.Type;
        return type switch
        {
            DistributionType { Dimension: Dimension.Time } or { Name: "duration" } => Duration.FromSeconds(v).ToString(),
            { Name: "size" } => new Size((long)v).ToString(),
            { Name: "rate" } => new Rate(v).ToString(),
            { Name: "bandwidth" } => new Bandwidth(v).ToString(),
            { Name: "factor" } => v.ToString(CultureInfo.InvariantCulture) + "x",
            _ when v >= long.MaxValue => "2^63 − 1",
            _ => v.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static (Arrivals, string?) ParseArrivals(string s, SchemaKey key)
    {
        var t = s.Trim();
        string process = "poisson", rateText = t;
        var open = t.IndexOf('(');
        if (open >= 0)
        {
            process = t[..open].Trim();
            if (process is not ("poisson" or "constant")) return (null!, $"unknown arrival process '{process}': use poisson(rate: 500/s) or constant(rate: 500/s)");
            if (!t.EndsWith(')')) return (null!, $"'{t}': missing ')' at the end");
            rateText = t[(open + 1)..^1].Trim();
            if (rateText.StartsWith("rate:", StringComparison.Ordinal)) rateText = rateText[5..].Trim();
        }
        var err = Units.Rate(rateText, out var rate);
        if (err is not null) return (null!, err);
        if (rate.PerSecond <= 0) return (null!, "the arrival rate must be positive");
        return (new Arrivals(process, rate), null);
    }

    protected static void WriteCommon(Utf8JsonWriter w, SchemaKey key)
    {
        var desc = key.Description;
        if (!string.IsNullOrEmpty(key.Default)) desc += $" Default: {key.Default}.";
        w.WriteString("description", desc);
        if (key.Default is null) return;
        if (long.TryParse(key.Default, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) w.WriteNumber("default", n);
        else if (key.Default is "true" or "false") w.WriteBoolean("default", key.Default == "true");
        else if (!key.Default.StartsWith('[')) w.WriteString("default", key.Default);
    }
}

/// <summary>A scalar parsed from its text.</summary>
/// <param name="range">The <see cref="KeyType.DefaultRange"/> of numeric types.</param>
public sealed class ScalarType<T>(string name, string format, Func<string, SchemaKey, (T Value, string? Error)> parse, string jsonType, string? pattern = null, (double? Min, double? Max) range = default) : KeyType
{
    public override string Name => name;
    public override string Format => format;
    public override (double? Min, double? Max) DefaultRange => range;

    public override object? Parse(YNode node, SchemaKey key, ValueContext ctx)
    {
        if (node is not YScalar s || s.IsNull)
        {
            ctx.Error(node.Mark, $"expected {Article(name)} ({format}), got {Describe(node)}");
            return null;
        }
        if (key.Allowed is { } allowed && !allowed.Contains(s.Value, StringComparer.Ordinal))
        {
            var hint = Suggest.Closest(s.Value, allowed);
            ctx.Error(s.Mark, allowed.Count == 0
                ? $"'{s.Value}' is not available: none are registered yet"
                : $"'{s.Value}' is not one of: {string.Join(", ", allowed)}" + (hint is null ? "" : $"; did you mean '{hint}'?"));
            return null;
        }
        if (jsonType is "integer" or "number" or "boolean" && s.Quoted)
        {
            ctx.Error(s.Mark, $"expected {Article(name)}, got the quoted text \"{s.Value}\"");
            return null;
        }
        var (value, error) = parse(s.Value, key);
        if (error is not null) { ctx.Error(s.Mark, error); return null; }
        return value;
    }

    public override void WriteJsonSchema(Utf8JsonWriter w, SchemaKey key)
    {
        if (key.Allowed is { } allowed)
        {
            w.WriteStartArray("enum");
            foreach (var a in allowed) w.WriteStringValue(a);
            w.WriteEndArray();
        }
        else if (jsonType is "string" && (name is "duration" or "size" or "rate"))
        {
            // Plain YAML numbers such as 0 are scalars too; editors should accept them.
            w.WriteStartArray("type"); w.WriteStringValue("string"); w.WriteStringValue("number"); w.WriteEndArray();
        }
        else w.WriteString("type", jsonType);
        if (pattern is not null && key.Allowed is null && name != "duration") w.WriteString("pattern", pattern);
        if (jsonType is "integer" or "number")
        {
            var (min, max) = Range(key);
            if (min is { } lo) w.WriteNumber("minimum", lo);
            if (max is { } hi) w.WriteNumber("maximum", hi);
        }
        WriteCommon(w, key);
    }

    internal static string Article(string word) => ("aeiou".Contains(word[0]) ? "an " : "a ") + word;

    internal static string Describe(YNode node) => node switch
    {
        YScalar { IsNull: true } => "nothing",
        YScalar s => $"'{s.Value}'",
        YSequence => "a list",
        YMapping => "a mapping",
        _ => "something else",
    };
}

/// <summary>A distribution of times or plain numbers.</summary>
public sealed class DistributionType(Dimension dimension) : KeyType
{
    public Dimension Dimension { get; } = dimension;
    public override string Name => Dimension == Dimension.Time ? "time distribution" : "distribution";
    public override string Format => Dimension == Dimension.Time ? "5ms, uniform(5ms, 15ms), lognormal(median: 20ms, sigma: 0.5), exponential(mean: 20ms), ..." : "1.2, lognormal(sigma: 0.2), uniform(0.9, 1.1), ...";

    public override object? Parse(YNode node, SchemaKey key, ValueContext ctx)
    {
        if (node is not YScalar s || s.IsNull)
        {
            ctx.Error(node.Mark, $"expected a distribution such as uniform(5ms, 15ms), got {ScalarType<int>.Describe(node)}");
            return null;
        }
        var (min, max) = Range(key);
        var err = DistributionParser.Parse(s.Value, Dimension, min ?? double.MinValue, max ?? double.MaxValue, ctx, out var d);
        if (err is not null)
        {
            if (err.Length > 0) ctx.Error(s.Mark, err);
            return null;
        }
        return d;
    }

    /// <summary>Values from 0 (times never negative) to 30 days, or 0 to 10^12 for plain numbers, unless the key says otherwise.</summary>
    public override (double? Min, double? Max) DefaultRange => Dimension == Dimension.Time ? (0, 30 * 86400.0) : (0, 1e12);

    public override string DescribeRange(SchemaKey key) => "values " + base.DescribeRange(key);

    public override void WriteJsonSchema(Utf8JsonWriter w, SchemaKey key)
    {
        w.WriteStartArray("type"); w.WriteStringValue("string"); w.WriteStringValue("number"); w.WriteEndArray();
        WriteCommon(w, key);
    }
}

/// <summary>A list of values of one type: <c>[a, b]</c>. A single value is a list of one.</summary>
public sealed class ListType(KeyType item) : KeyType
{
    public KeyType Item { get; } = item;
    public override (double? Min, double? Max) DefaultRange => Item.DefaultRange;
    public override string Name => "list of " + Item.Name;
    public override string Format => "[" + Item.Format.Split(',')[0] + ", ...]";

    public override object? Parse(YNode node, SchemaKey key, ValueContext ctx)
    {
        var items = node switch { YSequence seq => seq.Items, YScalar { IsNull: true } => [], _ => [node] };
        var list = new List<object>();
        var ok = true;
        foreach (var i in items)
        {
            var v = Item.Parse(i, key, ctx);
            if (v is null) ok = false; else list.Add(v);
        }
        return ok ? list : null;
    }

    public override void WriteJsonSchema(Utf8JsonWriter w, SchemaKey key)
    {
        w.WriteString("type", "array");
        w.WriteStartObject("items");
        Item.WriteJsonSchema(w, key with { Default = null });
        w.WriteEndObject();
        WriteCommon(w, key);
    }
}

/// <summary>
/// A value parsed by its own code (a matrix, a per-region map, the fault schedule): the node is
/// kept and checked by <paramref name="parse"/>. <paramref name="jsonSchema"/> writes its schema.
/// </summary>
/// <param name="range">What the key reference says about the range of the values inside (e.g. "entries 0s to 1h").</param>
public sealed class StructuredType(string name, string format, Func<YNode, SchemaKey, ValueContext, object?> parse, Action<Utf8JsonWriter> jsonSchema, string range = "") : KeyType
{
    public override string Name => name;
    public override string Format => format;
    public override string DescribeRange(SchemaKey key) => range;
    public override object? Parse(YNode node, SchemaKey key, ValueContext ctx) => parse(node, key, ctx);
    public override void WriteJsonSchema(Utf8JsonWriter w, SchemaKey key)
    {
        jsonSchema(w);
        WriteCommon(w, key);
    }
}
