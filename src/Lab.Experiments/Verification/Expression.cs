using System.Globalization;

namespace Lab.Experiments.Verification;

/// <summary>
/// A small arithmetic expression of a <c>verify:</c> check, so an expected value can be written the
/// way it is derived (<c>5 * 10ms</c>, <c>1 - exp(-0.9 * 0.02)</c>) and a measured value can combine
/// metrics of one run (<c>messages_total / committed_tx</c>).
/// <para>Numbers may carry a time unit (<c>10ms</c> is 0.01: metrics are in seconds). Operators
/// <c>+ - * / ^</c> with the usual precedence (<c>^</c> binds tightest and to the right), parentheses,
/// and the functions <c>exp ln sqrt abs</c>. Names (letters, digits, <c>_</c> and <c>.</c>) are
/// metrics; they are allowed only where <see cref="Parse"/> is told so.</para>
/// </summary>
public abstract record Expression
{
    /// <summary>The text as written.</summary>
    public string Text { get; private init; } = "";

    /// <summary>Metric names the expression reads, in order of first use.</summary>
    public IReadOnlyList<string> Metrics { get; private init; } = [];

    /// <summary>The value, with <paramref name="metric"/> giving each name's value (null: unknown, which makes the result null).</summary>
    public abstract double? Evaluate(Func<string, double?> metric);

    /// <summary>The value of an expression without metric names.</summary>
    public double Value => Evaluate(_ => null) ?? throw new InvalidOperationException($"'{Text}' reads metrics");

    /// <summary>A lone metric name (<c>commit_latency_s</c>) rather than a formula.</summary>
    public string? MetricName => this is MetricRef m ? m.Name : null;

    /// <summary>Parses <paramref name="text"/>; on failure returns the message and the 0-based offset of the problem.</summary>
    public static (Expression? Value, string? Error, int Offset) Parse(string text, bool allowMetrics)
    {
        var p = new Parser(text, allowMetrics);
        try
        {
            var e = p.Sum();
            p.SkipSpace();
            if (!p.AtEnd) throw p.Fail(p.Peek == ')' ? "a ')' without its '('" : $"unexpected '{p.Peek}'");
            return (e with { Text = text.Trim(), Metrics = p.Names }, null, 0);
        }
        catch (FormatException f) { return (null, f.Message, p.Position); }
    }

    private sealed record Number(double V) : Expression
    {
        public override double? Evaluate(Func<string, double?> metric) => V;
    }

    private sealed record MetricRef(string Name) : Expression
    {
        public override double? Evaluate(Func<string, double?> metric) => metric(Name);
    }

    private sealed record Negate(Expression Inner) : Expression
    {
        public override double? Evaluate(Func<string, double?> metric) => -Inner.Evaluate(metric);
    }

    private sealed record Binary(char Op, Expression Left, Expression Right) : Expression
    {
        public override double? Evaluate(Func<string, double?> metric)
        {
            if (Left.Evaluate(metric) is not { } a || Right.Evaluate(metric) is not { } b) return null;
            return Op switch
            {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                '/' => a / b,
                _ => Math.Pow(a, b),
            };
        }
    }

    private sealed record Call(string Function, Expression Argument) : Expression
    {
        public override double? Evaluate(Func<string, double?> metric)
        {
            if (Argument.Evaluate(metric) is not { } x) return null;
            return Function switch
            {
                "exp" => Math.Exp(x),
                "ln" => Math.Log(x),
                "sqrt" => Math.Sqrt(x),
                _ => Math.Abs(x),
            };
        }
    }

    private static readonly string[] Functions = ["exp", "ln", "sqrt", "abs"];

    private static readonly (string Unit, double Seconds)[] TimeUnits =
        [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("min", 60), ("h", 3600), ("d", 86400), ("w", 604800)];

    /// <summary>Recursive descent: sum → product → unary → power → atom.</summary>
    private sealed class Parser(string text, bool allowMetrics)
    {
        public int Position;
        public List<string> Names { get; } = [];
        public bool AtEnd => Position >= text.Length;
        public char Peek => text[Position];

        public FormatException Fail(string message) => new(message);

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(Peek)) Position++;
        }

        private bool Take(char c)
        {
            SkipSpace();
            if (AtEnd || Peek != c) return false;
            Position++;
            return true;
        }

        public Expression Sum()
        {
            var e = Product();
            while (true)
            {
                if (Take('+')) e = new Binary('+', e, Product());
                else if (Take('-')) e = new Binary('-', e, Product());
                else return e;
            }
        }

        private Expression Product()
        {
            var e = Unary();
            while (true)
            {
                if (Take('*')) e = new Binary('*', e, Unary());
                else if (Take('/')) e = new Binary('/', e, Unary());
                else return e;
            }
        }

        // Parsing and evaluating recurse: a formula of a check is short, so nesting and length are bounded
        // (a million '(' must be an error, not a stack overflow).
        private const int MaxDepth = 100, MaxTerms = 1000;
        private int _depth, _terms;

        private Expression Unary()
        {
            if (++_terms > MaxTerms) throw Fail($"the formula is too long (more than {MaxTerms} terms)");
            if (++_depth > MaxDepth) throw Fail($"the formula nests more than {MaxDepth} levels deep");
            try { return Take('-') ? new Negate(Unary()) : Take('+') ? Unary() : Power(); }
            finally { _depth--; }
        }

        private Expression Power()
        {
            var e = Atom();
            return Take('^') ? new Binary('^', e, Unary()) : e;
        }

        private Expression Atom()
        {
            SkipSpace();
            if (AtEnd) throw Fail(Position == 0 ? "empty: expected a number or a formula" : "the formula ends too early");
            var c = Peek;
            if (c == '(')
            {
                Position++;
                var inner = Sum();
                if (!Take(')')) throw Fail("missing ')'");
                return inner;
            }
            if (char.IsAsciiDigit(c) || c == '.') return NumberWithUnit();
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = Position;
                while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '_' or '.')) Position++;
                var name = text[start..Position];
                SkipSpace();
                if (!AtEnd && Peek == '(')
                {
                    if (!Functions.Contains(name)) { Position = start; throw Fail($"unknown function '{name}' (use {string.Join(", ", Functions)})"); }
                    Position++;
                    var argument = Sum();
                    if (!Take(')')) throw Fail("missing ')'");
                    return new Call(name, argument);
                }
                if (!allowMetrics) { Position = start; throw Fail($"'{name}' is not a number: an expected value is a number or a formula of numbers"); }
                if (!Names.Contains(name)) Names.Add(name);
                return new MetricRef(name);
            }
            throw Fail($"unexpected '{c}'");
        }

        private Expression NumberWithUnit()
        {
            var start = Position;
            while (!AtEnd && (char.IsAsciiDigit(Peek) || Peek is '.' or '_')) Position++;
            // An exponent: e or E, an optional sign, then digits (so "2e-3" is a number, "2d" a duration).
            if (!AtEnd && Peek is 'e' or 'E')
            {
                var save = Position;
                Position++;
                if (!AtEnd && Peek is '+' or '-') Position++;
                if (!AtEnd && char.IsAsciiDigit(Peek)) { while (!AtEnd && char.IsAsciiDigit(Peek)) Position++; }
                else Position = save;
            }
            var number = text[start..Position].Replace("_", "");
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                Position = start;
                throw Fail($"'{number}' is not a number");
            }
            var unitStart = Position;
            while (!AtEnd && (char.IsAsciiLetter(Peek) || Peek == 'µ')) Position++;
            if (Position == unitStart) return new Number(v);
            var unit = text[unitStart..Position];
            var seconds = Array.Find(TimeUnits, u => u.Unit == unit).Seconds;
            if (seconds == 0)
            {
                Position = unitStart;
                throw Fail($"'{unit}' is not a time unit (use ns, us, ms, s, min, h, d, w)");
            }
            return new Number(v * seconds);
        }
    }
}
