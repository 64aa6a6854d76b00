using System.Globalization;
using Lab.Sim.Distributions;

namespace Lab.Experiments.Values;

/// <summary>What the values of a distribution measure: time (drawn in seconds) or a plain number.</summary>
public enum Dimension { Time, Number }

/// <summary>
/// Parses distributions written like function calls: <c>lognormal(mu: 3, sigma: 0.5)</c>,
/// <c>uniform(5ms, 15ms)</c>, <c>exponential(mean: 20ms)</c>, <c>pareto(scale: 10ms, shape: 3)</c>,
/// <c>normal(mean: 20ms, sd: 5ms)</c>, <c>gamma(shape: 2, scale: 10ms)</c>, <c>constant(5ms)</c>,
/// <c>empirical(file: delays.csv)</c>. A bare value (<c>5ms</c>) is a constant. Time values are in
/// seconds once parsed; lognormal's <c>mu</c> is the log of seconds (or give <c>median: 20ms</c>).
/// </summary>
public static class DistributionParser
{
    public sealed record Info(string Name, string Syntax, string Description);

    public static readonly IReadOnlyList<Info> All =
    [
        new("constant", "constant(5ms)", "always the same value"),
        new("uniform", "uniform(5ms, 15ms)", "equally likely anywhere between low and high"),
        new("normal", "normal(mean: 20ms, sd: 5ms)", "normal, redrawn below zero (also mu/sigma)"),
        new("lognormal", "lognormal(mu: -4, sigma: 0.5) or lognormal(median: 20ms, sigma: 0.5)", "log-normal; mu is the log of the value in seconds for times (default 0)"),
        new("exponential", "exponential(mean: 20ms) or exponential(rate: 50/s)", "memoryless waiting times"),
        new("pareto", "pareto(scale: 10ms, shape: 3)", "heavy tail from scale upwards"),
        new("gamma", "gamma(shape: 2, scale: 10ms)", "sum of shape exponential stages"),
        new("empirical", "empirical(file: delays.csv)", "a CDF table: lines 'value, cumulative probability', path relative to the experiment file"),
    ];

    /// <param name="baseDirectory">Where relative <c>empirical(file: …)</c> paths start.</param>
    public static string? Parse(string text, Dimension dimension, string baseDirectory, out Distribution? value)
    {
        value = null;
        var s = text.Trim();
        var open = s.IndexOf('(');
        if (open < 0)
        {
            var err = Quantity(s, dimension, out var v);
            if (err is not null) return $"{err}; or write a distribution such as uniform(5ms, 15ms)";
            if (v < 0) return $"'{s}' is negative";
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
            if (colon > 0 && !a[..colon].Contains('(')) named[a[..colon].Trim()] = a[(colon + 1)..].Trim();
            else positional.Add(a.Trim());
        }
        var binder = new Binder(name, named, positional, dimension);
        try
        {
            value = name switch
            {
                "constant" => binder.Done(new Constant(binder.NonNegative(binder.Value(0, "value")))),
                "uniform" => Uniform(binder),
                "normal" => Normal(binder),
                "lognormal" => LogNormal(binder),
                "exponential" => Exponential(binder),
                "pareto" => binder.Done(new Pareto(binder.Positive(binder.Value(0, "scale")), binder.Positive(binder.Plain(1, "shape")))),
                "gamma" => binder.Done(new GammaDist(binder.Positive(binder.Plain(0, "shape")), binder.Positive(binder.Value(1, "scale")))),
                "empirical" => Empirical(binder, dimension, baseDirectory),
                _ => throw new BindException($"unknown distribution '{name}': use " + string.Join(", ", All.Select(i => i.Name))),
            };
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
            var err = Units.Rate(b.Raw("rate"), out var rate);
            if (err is not null) throw new BindException($"exponential: rate: {err}");
            if (rate.PerSecond <= 0) throw new BindException("exponential: rate must be positive");
            return b.Done(new Exponential(1 / rate.PerSecond));
        }
        return b.Done(new Exponential(b.Positive(b.Value(0, "mean"))));
    }

    private static Distribution Empirical(Binder b, Dimension dimension, string baseDirectory)
    {
        var file = b.Raw("file", 0).Trim('"', '\'');
        b.Done(null!);
        var path = Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(baseDirectory, file));
        if (!File.Exists(path)) throw new BindException($"empirical: file '{file}' not found (looked in {path})");
        var points = new List<(double, double)>();
        var lineNo = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            lineNo++;
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0) continue;
            var parts = line.Split(',');
            if (parts.Length != 2) throw new BindException($"empirical: {file} line {lineNo}: expected 'value, probability'");
            var err = Quantity(parts[0].Trim(), dimension, out var v)
                      ?? (double.TryParse(parts[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? null : "bad probability");
            if (err is not null) throw new BindException($"empirical: {file} line {lineNo}: {err}");
            points.Add((v, double.Parse(parts[1].Trim(), CultureInfo.InvariantCulture)));
        }
        try { return new Empirical(points, Path.GetFileName(file)); }
        catch (ArgumentException e) { throw new BindException($"empirical: {file}: {e.Message}"); }
    }

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
