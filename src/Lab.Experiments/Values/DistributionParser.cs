using System.Globalization;
using System.Text;
using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Experiments.Yaml;
using Lab.Sim.Distributions;
using MD = MathNet.Numerics.Distributions;

namespace Lab.Experiments.Values;

/// <summary>What the values of a distribution measure: time (drawn in seconds) or a plain number.</summary>
public enum Dimension { Time, Number }

/// <summary>
/// Parses distributions written like function calls: <c>lognormal(mu: 3, sigma: 0.5)</c>,
/// <c>uniform(5ms, 15ms)</c>, <c>exponential(mean: 20ms)</c>, <c>pareto(scale: 10ms, shape: 3)</c>,
/// <c>normal(mean: 20ms, sd: 5ms)</c>, <c>gamma(shape: 2, scale: 10ms)</c>, <c>constant(5ms)</c>,
/// <c>empirical(file: delays.csv)</c>. A bare value (<c>5ms</c>) is a constant. Time values are in
/// seconds once parsed; lognormal's <c>mu</c> is the log of seconds (or give <c>median: 20ms</c>).
/// <para>Every distribution is checked against the range of values its key allows (its own
/// <see cref="SchemaKey.Min"/>/<see cref="SchemaKey.Max"/> or the type's <see cref="KeyType.DefaultRange"/>):
/// <list type="bullet">
/// <item>Below: a distribution whose values can fall below the minimum (for times: below zero) is refused,
/// except <c>normal</c>, which is truncated at zero (a negative draw is drawn again) and so needs a mean of
/// at least zero.</item>
/// <item>Above: a bounded distribution (constant, uniform, empirical) must stay within the maximum; an
/// unbounded one (normal, lognormal, exponential, pareto, gamma) is refused if it exceeds the maximum
/// more often than once in a million draws (its 1 − 10⁻⁶ quantile), and otherwise its rare draws beyond
/// the maximum are capped at it (so no draw can overflow the kernel's 64-bit nanoseconds).</item>
/// </list></para>
/// </summary>
public static class DistributionParser
{
    public sealed record Info(string Name, string Syntax, string Description);

    public static readonly IReadOnlyList<Info> All =
    [
        new("constant", "constant(5ms)", "always the same value"),
        new("uniform", "uniform(5ms, 15ms)", "equally likely anywhere between low and high"),
        new("normal", "normal(mean: 20ms, sd: 5ms)", "normal truncated at zero: negative draws are drawn again (mean ≥ 0; also mu/sigma)"),
        new("lognormal", "lognormal(mu: -4, sigma: 0.5) or lognormal(median: 20ms, sigma: 0.5)", "log-normal; mu is the log of the value in seconds for times (default 0); sigma > 0"),
        new("exponential", "exponential(mean: 20ms) or exponential(rate: 50/s)", "memoryless waiting times"),
        new("pareto", "pareto(scale: 10ms, shape: 3)", "heavy tail from scale upwards (shape > 0)"),
        new("gamma", "gamma(shape: 2, scale: 10ms)", "sum of shape exponential stages (shape from 0.01 to 10^6)"),
        new("empirical", "empirical(file: delays.csv)", "a CDF table: lines 'value, cumulative probability', path relative to the experiment file"),
    ];

    /// <summary>How often an unbounded distribution may exceed its key's maximum before it is refused.</summary>
    public const double RefuseBeyond = 1e-6;

    /// <summary>Parses with the default range of <paramref name="dimension"/> and no file context (tests, tools).</summary>
    public static string? Parse(string text, Dimension dimension, string baseDirectory, out Distribution? value)
    {
        var scratch = new Diagnostics();
        var type = dimension == Dimension.Time ? (DistributionType)KeyType.TimeDistribution : (DistributionType)KeyType.NumberDistribution;
        var key = new SchemaKey("value", type, "");
        var (min, max) = type.Range(key);
        var error = Parse(text, dimension, min ?? double.MinValue, max ?? double.MaxValue, new ValueContext(baseDirectory, scratch, "value"), out value);
        return error is { Length: 0 } ? scratch.Errors[0].Message : error;
    }

    /// <summary>Parses and checks the values against [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <returns>Null when it is valid; otherwise what is wrong, or "" when the problems were reported at their own places (lines of a CDF file).</returns>
    public static string? Parse(string text, Dimension dimension, double min, double max, ValueContext ctx, out Distribution? value)
    {
        value = null;
        var s = text.Trim();
        var open = s.IndexOf('(');
        var unit = dimension == Dimension.Time ? 1.0 : 0.0;
        if (open < 0)
        {
            var err = Quantity(s, dimension, out var v);
            if (err is not null) return $"{err}; or write a distribution such as {(dimension == Dimension.Time ? "uniform(5ms, 15ms)" : "uniform(0.9, 1.1)")}";
            if (v < Math.Max(0, min)) return v < 0 ? $"'{s}' is negative" : $"'{s}' is below the smallest value allowed here ({Show(min, dimension)})";
            if (v > max) return $"'{s}' is above the largest value allowed here ({Show(max, dimension)})";
            value = new Constant(v);
            return null;
        }
        if (!s.EndsWith(')')) return $"'{s}': missing ')' at the end";
        var name = s[..open].Trim();
        var args = SplitArgs(s[(open + 1)..^1]);
        if (args is null) return $"'{s}': unbalanced parentheses";
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        foreach (var a in args)
        {
            var colon = a.IndexOf(':');
            if (colon > 0 && !a[..colon].Contains('('))
            {
                var parameter = a[..colon].Trim();
                if (!named.TryAdd(parameter, a[(colon + 1)..].Trim())) return $"{name}: '{parameter}' is given twice";
            }
            else positional.Add(a.Trim());
        }
        var binder = new Binder(name, named, positional, dimension);
        try
        {
            var d = name switch
            {
                "constant" => binder.Done(new Constant(binder.NonNegative(binder.Value(0, "value")))),
                "uniform" => Uniform(binder),
                "normal" => Normal(binder),
                "lognormal" => LogNormal(binder),
                "exponential" => Exponential(binder),
                "pareto" => binder.Done(new Pareto(binder.Positive(binder.Value(0, "scale")), binder.Positive(binder.Plain(1, "shape")))),
                "gamma" => Gamma(binder),
                "empirical" => Empirical(binder, dimension, min, max, ctx),
                _ => throw new BindException($"unknown distribution '{name}': use " + string.Join(", ", All.Select(i => i.Name))),
            };
            value = Within(name, d, dimension, min, max);
            return null;
        }
        catch (BindException e) { return e.Message; }
    }

    private static Distribution Uniform(Binder b)
    {
        var low = b.NonNegative(b.Value(0, "low", "min"));
        var high = b.NonNegative(b.Value(1, "high", "max"));
        if (high < low) throw new BindException($"uniform: high must not be below low");
        return b.Done(new Uniform(low, high));
    }

    private static Distribution Normal(Binder b)
    {
        var mean = b.Value(0, "mean", "mu");
        var sd = b.NonNegative(b.Value(1, "sd", "sigma"));
        // Truncation redraws negative values; with a negative mean it could redraw almost forever.
        if (mean < 0) throw new BindException("normal: the mean must not be negative (draws below zero are drawn again)");
        return b.Done(new TruncatedNormal(mean, sd));
    }

    private static Distribution LogNormal(Binder b)
    {
        double mu;
        if (b.Has("median")) mu = Math.Log(b.Positive(b.Value(-1, "median")));
        else mu = b.Optional("mu", 0, plain: true, position: 0);
        var sigma = b.Positive(b.Plain(b.Has("median") ? -1 : 1, "sigma"));
        return b.Done(new LogNormal(mu, sigma));
    }

    private static Distribution Exponential(Binder b)
    {
        if (b.Has("rate"))
        {
            if (b.Has("mean")) throw new BindException("exponential: give mean or rate, not both");
            var err = Units.Rate(b.Raw("rate"), out var rate);
            if (err is not null) throw new BindException($"exponential: rate: {err}");
            if (rate.PerSecond <= 0) throw new BindException("exponential: rate must be positive");
            return b.Done(new Exponential(1 / rate.PerSecond));
        }
        return b.Done(new Exponential(b.Positive(b.Value(0, "mean"))));
    }

    private static Distribution Gamma(Binder b)
    {
        var shape = b.Positive(b.Plain(0, "shape"));
        if (shape is < 0.01 or > 1e6) throw new BindException("gamma: shape must be from 0.01 to 10^6");
        return b.Done(new GammaDist(shape, b.Positive(b.Value(1, "scale"))));
    }

    /// <summary>Refuses values outside [min, max]; caps an unbounded distribution's rare draws beyond max.</summary>
    private static Distribution Within(string name, Distribution d, Dimension dimension, double min, double max)
    {
        if (d.Minimum < min && d is not TruncatedNormal)
            throw new BindException($"{name}: its values reach down to {Show(d.Minimum, dimension)}, below the smallest value allowed here ({Show(min, dimension)})");
        if (d is TruncatedNormal && min > 0)
            throw new BindException($"normal: it is truncated at zero, and values below {Show(min, dimension)} are not allowed here; use uniform or lognormal");
        var highest = UpperQuantile(d, RefuseBeyond);
        if (!(highest <= max))
            throw new BindException($"{name}: one draw in a million is above {ShowLarge(highest, dimension)}, beyond the largest value allowed here ({Show(max, dimension)})");
        if (d is Constant or Sim.Distributions.Uniform or Sim.Distributions.Empirical) return d;
        return UpperQuantile(d, 1e-15) <= max ? d : new CappedDistribution(d, max);
    }

    /// <summary>The value exceeded with probability <paramref name="tail"/> (for bounded distributions: their largest value).</summary>
    public static double UpperQuantile(Distribution d, double tail) => d switch
    {
        Constant c => c.Value,
        Sim.Distributions.Uniform u => u.High,
        Sim.Distributions.Empirical e => e.Points[^1].Value,
        Exponential x => x.MeanValue * -Math.Log(tail),
        Pareto p => p.Scale * Math.Pow(tail, -1 / p.Shape),
        LogNormal l => Math.Exp(l.Mu + l.Sigma * -MD.Normal.InvCDF(0, 1, tail)),
        GammaDist g => MD.Gamma.InvCDF(g.Shape, 1 / g.Scale, 1 - tail),
        // Truncated at zero: the upper tail of the untruncated normal, scaled by the mass kept.
        TruncatedNormal n when n.Sigma == 0 => Math.Max(0, n.Mu),
        TruncatedNormal n => n.Mu + n.Sigma * -MD.Normal.InvCDF(0, 1, tail * (1 - MD.Normal.CDF(n.Mu, n.Sigma, 0))),
        CappedDistribution c => Math.Min(c.Cap, UpperQuantile(c.Inner, tail)),
        _ => double.PositiveInfinity,
    };

    /// <summary>Seconds below this are shown as a duration (a few centuries: far inside 64-bit nanoseconds).</summary>
    private const double DurationShown = 1e10;

    private static string Show(double v, Dimension dimension) => dimension == Dimension.Time
        ? (Math.Abs(v) < DurationShown ? Sim.Time.Duration.FromSeconds(v).ToString() : ShowLarge(v, dimension))
        : v.ToString("G6", CultureInfo.InvariantCulture);

    private static string ShowLarge(double v, Dimension dimension)
    {
        if (double.IsNaN(v) || double.IsPositiveInfinity(v)) return "10^308" + (dimension == Dimension.Time ? "s" : "");
        if (dimension == Dimension.Time && Math.Abs(v) < DurationShown) return Show(v, dimension);
        return v.ToString("0.##E+0", CultureInfo.InvariantCulture) + (dimension == Dimension.Time ? "s" : "");
    }

    private static Distribution Empirical(Binder b, Dimension dimension, double min, double max, ValueContext ctx)
    {
        var file = b.Raw("file", 0).Trim('"', '\'');
        b.Done(null!);
        var path = Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(ctx.BaseDirectory, file));
        if (!File.Exists(path) && !Directory.Exists(path)) throw new BindException($"empirical: file '{file}' not found (looked in {path})");
        byte[] bytes;
        try { bytes = ctx.Files.ReadData(path); }
        catch (InputFileException e) { throw new BindException($"empirical: file {ctx.Files.Display(path)} {e.Message}"); }
        var display = ctx.Files.Display(path);
        string text;
        try { text = new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { throw new BindException($"empirical: {display} is not UTF-8 text (is it a binary file?)"); }

        var before = ctx.Diagnostics.Count;
        void Error(int line, int col, string message) => ctx.Error(new SourceMark(display, line, col), "empirical: " + message);
        var points = new List<(double Value, double Probability)>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd('\r');
            var hash = raw.IndexOf('#');
            var line = hash >= 0 ? raw[..hash] : raw;
            if (line.Trim().Length == 0) continue;
            var comma = line.IndexOf(',');
            if (comma < 0 || line.IndexOf(',', comma + 1) >= 0)
            {
                Error(i + 1, 1, $"expected 'value, cumulative probability', got '{Clip(line.Trim())}'");
                continue;
            }
            var valueText = line[..comma];
            var probText = line[(comma + 1)..];
            var valueCol = 1 + valueText.Length - valueText.TrimStart().Length;
            var probCol = comma + 2 + probText.Length - probText.TrimStart().Length;
            var ok = true;
            if (Quantity(valueText.Trim(), dimension, out var v) is { } err) { Error(i + 1, valueCol, err); ok = false; }
            else if (v < Math.Max(0, min) || v > max)
            { Error(i + 1, valueCol, $"value '{valueText.Trim()}' is outside {Show(Math.Max(0, min), dimension)} to {Show(max, dimension)}"); ok = false; }
            if (!double.TryParse(probText.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || !(p is >= 0 and <= 1))
            { Error(i + 1, probCol, $"cumulative probability '{Clip(probText.Trim())}' is not a number from 0 to 1"); ok = false; }
            if (!ok) continue;
            if (points.Count > 0 && v < points[^1].Value) Error(i + 1, valueCol, "values must not decrease from one line to the next");
            else if (points.Count > 0 && p < points[^1].Probability) Error(i + 1, probCol, "cumulative probabilities must not decrease from one line to the next");
            else points.Add((v, p));
        }
        if (ctx.Diagnostics.Count > before) throw new BindException("");
        var last = lines.Length;
        if (points.Count < 2) { Error(1, 1, "a CDF needs at least two lines 'value, cumulative probability'"); throw new BindException(""); }
        if (Math.Abs(points[^1].Probability - 1) > 1e-9) { Error(last, 1, $"the last cumulative probability must be 1, not {points[^1].Probability.ToString(CultureInfo.InvariantCulture)}"); throw new BindException(""); }
        return new Empirical(points, Path.GetFileName(file));
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>A value in the dimension: a duration (→ seconds) or a plain number.</summary>
    public static string? Quantity(string text, Dimension dimension, out double value)
    {
        value = 0;
        if (dimension == Dimension.Time)
        {
            var err = Units.Duration(text, out var d);
            if (err is null) value = d.TotalSeconds;
            return err;
        }
        return Units.Number(text, out value);
    }

    private static List<string>? SplitArgs(string inner)
    {
        var list = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '(') depth++;
            else if (inner[i] == ')') { depth--; if (depth < 0) return null; }
            else if (inner[i] == ',' && depth == 0) { list.Add(inner[start..i]); start = i + 1; }
        }
        if (depth != 0) return null;
        if (inner.Trim().Length > 0) list.Add(inner[start..]);
        return list;
    }

    /// <summary>A distribution cannot be built; an empty message means its problems were reported where they are.</summary>
    private sealed class BindException(string message) : Exception(message);

    private sealed class Binder(string dist, Dictionary<string, string> named, List<string> positional, Dimension dimension)
    {
        private readonly HashSet<string> _used = [];
        private int _positionalUsed;

        public bool Has(string name) => named.ContainsKey(name);

        public string Raw(string name, int position = -1)
        {
            if (named.TryGetValue(name, out var v)) { _used.Add(name); return v; }
            if (position >= 0 && position < positional.Count) { _positionalUsed = Math.Max(_positionalUsed, position + 1); return positional[position]; }
            var typo = Schema.Suggest.Closest(name, named.Keys.Where(k => !_used.Contains(k)));
            throw new BindException(typo is null ? $"{dist}: missing '{name}'" : $"{dist}: unknown parameter '{typo}'; did you mean '{name}'?");
        }

        private string Raw(int position, string[] names)
        {
            var given = names.Where(named.ContainsKey).ToList();
            if (given.Count > 1) throw new BindException($"{dist}: '{given[0]}' and '{given[1]}' are the same parameter; give it once");
            if (given.Count == 1 && position >= 0 && position < positional.Count)
                throw new BindException($"{dist}: '{given[0]}' is given twice (by name and as value {position + 1})");
            foreach (var n in names) if (named.ContainsKey(n)) return Raw(n);
            return Raw(names[0], position);
        }

        public double Value(int position, params string[] names)
        {
            var raw = Raw(position, names);
            var err = Quantity(raw, dimension, out var v);
            if (err is not null) throw new BindException($"{dist}: {names[0]}: {err}");
            return v;
        }

        public double Plain(int position, params string[] names)
        {
            var raw = Raw(position, names);
            var err = Units.Number(raw, out var v);
            if (err is not null) throw new BindException($"{dist}: {names[0]}: {err} ({names[0]} has no unit)");
            return v;
        }

        public double Optional(string name, double fallback, bool plain, int position)
        {
            if (!named.ContainsKey(name) && position >= positional.Count) return fallback;
            return plain ? Plain(position, name) : Value(position, name);
        }

        public double Positive(double v) => v > 0 ? v : throw new BindException($"{dist}: parameters must be positive");
        public double NonNegative(double v) => v >= 0 ? v : throw new BindException($"{dist}: values must not be negative");

        public Distribution Done(Distribution d)
        {
            var unknown = named.Keys.Where(k => !_used.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
            if (unknown.Count > 0) throw new BindException($"{dist}: unknown parameter '{unknown[0]}'");
            if (positional.Count > _positionalUsed) throw new BindException($"{dist}: too many values");
            return d;
        }
    }
}
