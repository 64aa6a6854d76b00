using Lab.Experiments.Yaml;

namespace Lab.Experiments.Verification;

/// <summary>
/// A check's <c>at:</c> (or <c>minus:</c>): which variant and sweep point it reads, e.g.
/// <c>{ variant: gamma-0, chain.pow.attacker-share: 0.25 }</c>. It must select exactly one point;
/// keys left out may be left out only when the experiment has one choice for them.
/// </summary>
public sealed record PointSelector(SourceMark Mark, IReadOnlyList<(string Key, string Value, SourceMark Mark)> Terms)
{
    public const string VariantKey = "variant";

    public static PointSelector Any(SourceMark mark) => new(mark, []);

    /// <summary>"gamma-0, attacker-share=0.25" — how the table names the point.</summary>
    public string Label => Terms.Count == 0 ? "" : string.Join(", ", Terms.Select(t => t.Key == VariantKey ? t.Value : $"{t.Key[(t.Key.LastIndexOf('.') + 1)..]}={t.Value}"));
}
