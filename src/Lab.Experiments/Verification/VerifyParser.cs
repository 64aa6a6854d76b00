using Lab.Experiments.Schema;
using Lab.Experiments.Validation;
using Lab.Experiments.Yaml;

namespace Lab.Experiments.Verification;

/// <summary>
/// Reads the <c>verify:</c> section of an experiment file and, once the experiment's points are
/// known, resolves each check's <c>at:</c> to one point. Every problem is reported with file, line
/// and column; nothing is run when there is one.
/// </summary>
public static class VerifyParser
{
    public const string Section = "verify";

    private static readonly string[] SectionKeys = ["suite", "checks"];
    private static readonly string[] CheckKeys = ["check", "at", "minus", "over", "metric", "statistic", "expect", "tolerance", "source"];
    private static readonly string[] RequiredCheckKeys = ["check", "metric", "statistic", "expect", "tolerance", "source"];

    /// <summary>Parses the section; null (with diagnostics) if anything is wrong.</summary>
    public static VerifySpec? Parse(YNode node, Diagnostics d)
    {
        var before = d.Errors.Count;
        if (node is not YMapping map)
        {
            d.Error(node.Mark, Section, "expected a section: suite: quick|full and checks: a list of checks");
            return null;
        }
        foreach (var (k, _) in map.Entries)
            if (!SectionKeys.Contains(k.Value))
                d.Error(k.Mark, Section + "." + k.Value, "unknown key" + Hint(k.Value, SectionKeys));

        var suite = VerifySpec.Quick;
        if (map["suite"] is { } s)
        {
            if (s is YScalar { Value: VerifySpec.Quick or VerifySpec.Full } sv) suite = sv.Value;
            else d.Error(s.Mark, "verify.suite", $"expected quick (run by 'lab verify' and in CI) or full (only with 'lab verify --full'), got {Describe(s)}");
        }

        var checks = new List<Check>();
        switch (map["checks"])
        {
            case null:
                d.Error(map.Mark, "verify.checks", "missing: list the checks, each with check, metric, statistic, expect, tolerance and source");
                break;
            case YSequence { Items.Count: > 0 } seq:
                for (int i = 0; i < seq.Items.Count; i++)
                    if (ParseCheck(seq.Items[i], i, d) is { } c) checks.Add(c);
                break;
            case var other:
                d.Error(other.Mark, "verify.checks", $"expected a list of checks ('- check: ...'), got {Describe(other)}");
                break;
        }
        return d.Errors.Count > before ? null : new VerifySpec(map.Mark, suite, checks);
    }

    private static Check? ParseCheck(YNode node, int index, Diagnostics d)
    {
        var path = $"verify.checks[{index}]";
        if (node is not YMapping m)
        {
            d.Error(node.Mark, path, $"expected a check (check: ..., metric: ..., statistic: ..., expect: ..., tolerance: ..., source: ...), got {Describe(node)}");
            return null;
        }
        var before = d.Errors.Count;
        foreach (var (k, _) in m.Entries)
            if (!CheckKeys.Contains(k.Value))
                d.Error(k.Mark, path + "." + k.Value, "unknown key" + Hint(k.Value, CheckKeys));
        foreach (var key in RequiredCheckKeys)
            if (m[key] is null)
                d.Error(m.Mark, path, $"missing '{key}': {What(key)}");
        if (d.Errors.Count > before) return null;

        var claim = Text(m["check"]!, path + ".check", d);
        var source = Text(m["source"]!, path + ".source", d);
        var at = m["at"] is { } atNode ? Selector(atNode, path + ".at", d) : PointSelector.Any(m.Mark);
        PointSelector? other = null;
        var combination = Combination.Minus;
        if (m["minus"] is { } minusNode) other = Selector(minusNode, path + ".minus", d);
        if (m["over"] is { } overNode)
        {
            if (m["minus"] is not null) d.Error(overNode.Mark, path + ".over", "give minus: or over:, not both");
            else { other = Selector(overNode, path + ".over", d); combination = Combination.Over; }
        }

        Expression? metric = null;
        var metricNode = m["metric"]!;
        if (Scalar(metricNode, path + ".metric", "a metric name (commit_latency_s) or a formula of metrics ((messages_total - 16) / committed_tx)", d) is { } ms)
            metric = ParseExpression(ms, allowMetrics: true, path + ".metric", d);

        Statistic? statistic = null;
        var statNode = m["statistic"]!;
        if (Scalar(statNode, path + ".statistic", Statistic.Choices, d) is { } ss)
        {
            statistic = Statistic.Parse(ss.Value);
            if (statistic is null) d.Error(ss.Mark, path + ".statistic", $"unknown statistic '{ss.Value}': use {Statistic.Choices}");
        }

        Tolerance? tolerance = null;
        var tolNode = m["tolerance"]!;
        if (Scalar(tolNode, path + ".tolerance", Tolerance.Forms, d) is { } ts)
        {
            var (t, error) = Tolerance.Parse(ts.Value);
            if (t is null) d.Error(ts.Mark, path + ".tolerance", error!);
            tolerance = t;
        }

        var expectNode = m["expect"]!;
        var expect = new List<Expression>();
        if (expectNode is YSequence list)
        {
            if (list.Items.Count == 0) d.Error(list.Mark, path + ".expect", "an empty list: give the expected values");
            foreach (var item in list.Items)
                if (Scalar(item, path + ".expect", "a number or a formula", d) is { } es && ParseExpression(es, allowMetrics: false, path + ".expect", d) is { } e)
                    expect.Add(e);
        }
        else if (Scalar(expectNode, path + ".expect", "a number, a formula (5 * 10ms) or, for statistic: values, a list", d) is { } es
                 && ParseExpression(es, allowMetrics: false, path + ".expect", d) is { } e)
            expect.Add(e);

        if (statistic is not null && tolerance is not null)
        {
            if (statistic.Kind == StatisticKind.Values && expectNode is not YSequence)
                d.Error(expectNode.Mark, path + ".expect", "statistic: values compares the sorted samples with a list: write expect: [v1, v2, ...]");
            if (statistic.Kind != StatisticKind.Values && expectNode is YSequence)
                d.Error(expectNode.Mark, path + ".expect", $"a list of values needs statistic: values (the samples in ascending order), not {statistic}");
            if (tolerance.Kind == ToleranceKind.Confidence && statistic.Kind != StatisticKind.Mean)
                d.Error(tolNode.Mark, path + ".tolerance", $"a confidence interval is about the mean over replications: use statistic: mean, or an absolute or relative tolerance with {statistic}");
            if (statistic.Kind == StatisticKind.Values && expect.Zip(expect.Skip(1)).Any(p => p.First.Value > p.Second.Value))
                d.Error(expectNode.Mark, path + ".expect", "list the expected values in ascending order (they are compared with the sorted samples)");
            if (tolerance.Kind == ToleranceKind.Relative && expect.Count > 0 && expect.Any(x => x.Value == 0))
                d.Error(tolNode.Mark, path + ".tolerance", "a relative tolerance around an expected 0 allows nothing: give an absolute tolerance");
        }
        if (d.Errors.Count > before) return null;
        return new Check
        {
            Mark = m.Mark,
            Index = index,
            Claim = claim!,
            At = at!,
            Other = other,
            Combination = combination,
            Metric = metric!,
            MetricMark = metricNode.Mark,
            Statistic = statistic!,
            Expect = expect,
            Tolerance = tolerance!,
            ToleranceMark = tolNode.Mark,
            Source = source!,
        };
    }

    /// <summary>
    /// Points each check at the experiment's point (and its <c>minus:</c> or <c>over:</c> point) and checks what needs
    /// the whole experiment: a confidence interval needs at least two replications.
    /// </summary>
    /// <param name="same">Whether two written values of a sweep key mean the same (e.g. <c>20ms</c> and <c>0.02s</c>).</param>
    public static VerifySpec? Resolve(VerifySpec spec, IReadOnlyList<PlannedPoint> points, IReadOnlyList<string> axes, int replications,
        Func<string, string, string, bool> same, Diagnostics d)
    {
        var before = d.Errors.Count;
        var checks = new List<Check>();
        foreach (var c in spec.Checks)
        {
            var point = Select(c.At, c.Path + ".at", points, axes, same, d);
            var key = c.Path + (c.Combination == Combination.Minus ? ".minus" : ".over");
            var other = c.Other is null ? -1 : Select(c.Other, key, points, axes, same, d);
            if (c.Tolerance.Kind == ToleranceKind.Confidence && replications < 2)
                d.Error(c.ToleranceMark, c.Path + ".tolerance", $"a confidence interval needs at least 2 replications; this experiment has {replications}");
            if (other >= 0 && other == point)
                d.Error(c.Other!.Mark, key, $"selects the same point as 'at': the {(c.Combination == Combination.Minus ? "difference would be 0" : "ratio would be 1")}");
            checks.Add(c with { Point = point, OtherPoint = other });
        }
        return d.Errors.Count > before ? null : spec with { Checks = checks };
    }

    private static int Select(PointSelector selector, string path, IReadOnlyList<PlannedPoint> points, IReadOnlyList<string> axes,
        Func<string, string, string, bool> same, Diagnostics d)
    {
        var ok = true;
        var variants = points.Select(p => p.Variant).Distinct().ToList();
        foreach (var (key, value, mark) in selector.Terms)
        {
            if (key == PointSelector.VariantKey)
            {
                if (!variants.Contains(value))
                {
                    d.Error(mark, path + ".variant", $"no variant '{value}'" + (Schema.Suggest.Closest(value, variants) is { } h ? $"; did you mean '{h}'?" : $" (variants: {string.Join(", ", variants)})"));
                    ok = false;
                }
            }
            else if (!axes.Contains(key))
            {
                d.Error(mark, path + "." + key, axes.Count == 0
                    ? "the experiment has no sweep: select a point by variant only"
                    : $"not a sweep axis of this experiment (axes: {string.Join(", ", axes)})");
                ok = false;
            }
            else if (!points.Any(p => p.Parameters.Any(kv => kv.Key == key && same(key, kv.Value, value))))
            {
                var values = points.SelectMany(p => p.Parameters).Where(kv => kv.Key == key).Select(kv => kv.Value).Distinct();
                d.Error(mark, path + "." + key, $"no sweep point has {key} = {value} (values: {string.Join(", ", values)})");
                ok = false;
            }
        }
        if (!ok) return -1;
        var matches = points.Where(p => selector.Terms.All(t => t.Key == PointSelector.VariantKey
            ? p.Variant == t.Value
            : p.Parameters.Any(kv => kv.Key == t.Key && same(t.Key, kv.Value, t.Value)))).ToList();
        if (matches.Count == 1) return matches[0].Index;
        var open = new List<string>();
        if (variants.Count > 1 && selector.Terms.All(t => t.Key != PointSelector.VariantKey)) open.Add("variant (" + string.Join(", ", variants) + ")");
        foreach (var axis in axes.Where(a => selector.Terms.All(t => t.Key != a)))
        {
            var values = matches.SelectMany(p => p.Parameters).Where(kv => kv.Key == axis).Select(kv => kv.Value).Distinct().ToList();
            if (values.Count > 1) open.Add($"{axis} ({string.Join(", ", values)})");
        }
        d.Error(selector.Mark, path.EndsWith(".at", StringComparison.Ordinal) && selector.Terms.Count == 0 ? path[..^3] : path,
            $"selects {matches.Count} points; a check reads one: add {string.Join(" and ", open)}" + (selector.Terms.Count == 0 ? " under 'at:'" : ""));
        return -1;
    }

    private static PointSelector? Selector(YNode node, string path, Diagnostics d)
    {
        if (node is not YMapping m)
        {
            d.Error(node.Mark, path, $"expected a point: {{ variant: name, <sweep key>: value }}, got {Describe(node)}");
            return null;
        }
        var terms = new List<(string, string, SourceMark)>();
        foreach (var (k, v) in m.Entries)
        {
            if (v is YScalar { IsNull: false } s) terms.Add((k.Value, s.Value, s.Mark));
            else d.Error(v.Mark, path + "." + k.Value, $"expected one value (a variant name or a sweep value), got {Describe(v)}");
        }
        return new PointSelector(m.Mark, terms);
    }

    private static Expression? ParseExpression(YScalar s, bool allowMetrics, string path, Diagnostics d)
    {
        var (e, error, offset) = Expression.Parse(s.Value, allowMetrics);
        if (e is not null) return e;
        // Point at the offending character when the value sits on one line as written.
        var mark = s.Value.Contains('\n') ? s.Mark : s.Mark with { Column = s.Mark.Column + offset + (s.Quoted ? 1 : 0) };
        d.Error(mark, path, error!);
        return null;
    }

    private static string? Text(YNode node, string path, Diagnostics d)
    {
        if (node is YScalar { IsNull: false } s && s.Value.Trim().Length > 0) return s.Value.Trim();
        d.Error(node.Mark, path, node is YScalar ? "is empty: write it out" : $"expected text, got {Describe(node)}");
        return null;
    }

    private static YScalar? Scalar(YNode node, string path, string expected, Diagnostics d)
    {
        if (node is YScalar { IsNull: false } s) return s;
        d.Error(node.Mark, path, $"expected {expected}, got {Describe(node)}");
        return null;
    }

    private static string What(string key) => key switch
    {
        "check" => "what is claimed, in a sentence",
        "metric" => "the metric read (a name from the run's summary, or a formula of them)",
        "statistic" => Statistic.Choices,
        "expect" => "the expected value (a number or a formula such as 5 * 10ms)",
        "tolerance" => Tolerance.Forms,
        _ => "the paper, table or derivation the expected value comes from",
    };

    private static string Hint(string key, IEnumerable<string> known) =>
        Schema.Suggest.Closest(key, known) is { } h ? $"; did you mean '{h}'?" : $" (use {string.Join(", ", known)})";

    private static string Describe(YNode n) => n switch
    {
        YScalar { IsNull: true } => "nothing",
        YScalar s => $"'{s.Value}'",
        YSequence => "a list",
        _ => "a mapping",
    };
}
