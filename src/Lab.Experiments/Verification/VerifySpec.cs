using Lab.Experiments.Yaml;

namespace Lab.Experiments.Verification;

/// <summary>
/// The <c>verify:</c> section of an experiment: the file reproduces published or closed-form results,
/// and <c>lab verify</c> runs it and compares. <see cref="Suite"/> says whether it belongs to the quick
/// set (run by default and in CI) or only to <c>lab verify --full</c>.
/// </summary>
public sealed record VerifySpec(SourceMark Mark, string Suite, IReadOnlyList<Check> Checks)
{
    public const string Quick = "quick";
    public const string Full = "full";
}
