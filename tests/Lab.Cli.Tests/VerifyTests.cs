using Lab.Cli;


namespace Lab.Cli.Tests;

public class VerifyTests
{
    private static string Validation => Path.Combine(CliTests.Root(), "scenarios", "validation");
    private static string Pbft => File.ReadAllText(Path.Combine(Validation, "pbft-exact.yaml"));

    /// <summary>Writes <paramref name="text"/> as <paramref name="name"/> in a new temporary folder.</summary>
    private static string Write(string name, string text, string? folder = null)
    {
        folder ??= Directory.CreateTempSubdirectory("lab-verify").FullName;
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var i = text.IndexOf(what, StringComparison.Ordinal);
        Assert.True(i >= 0, $"'{what}' not in the file");
        return text[..i] + with + text[(i + what.Length)..];
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void The_quick_validation_suite_passes_as_lab_verify_runs_it_in_CI()
    {
        // Exactly what `./lab verify` does from inside the repository: the quick set of scenarios/validation/.
        var (code, output, err) = CliTests.Lab("verify");
        Assert.True(code == ExitCode.Ok, output + err);
        var quick = Directory.GetFiles(Validation, "*.yaml").Count(f => !File.ReadAllText(f).Contains("suite: full"));
        Assert.True(quick >= 6, $"only {quick} quick validation files");
        Assert.Contains($"checks passed in {quick} file(s)", output);
        Assert.DoesNotContain("FAIL", output);
    }

    [Fact]
    public void A_wrong_expectation_is_a_miss_shown_in_the_table_and_exits_1()
    {
        // PBFT's client latency is 5d = 50 ms; claim 4d.
        var file = Write("pbft-wrong.yaml", ReplaceFirst(Pbft, "expect: 5 * 10ms", "expect: 4 * 10ms"));
        var (code, output, err) = CliTests.Lab("verify", file);
        Assert.Equal(ExitCode.RunFailed, code);
        Assert.Contains("FAIL", output);
        Assert.Contains("0.04", output);
        Assert.Contains("missed: " + file + ":", err);
        Assert.Matches(@"5d after sending: (\d+) of \1 values outside", err);
        Assert.Contains("1 of 6 checks missed", err);
    }

    [Fact]
    public void A_check_on_a_metric_the_run_does_not_report_is_invalid_input_at_its_position()
    {
        var text = ReplaceFirst(Pbft, "&latency commit_latency_s", "&latency commit_latncy_s");
        var file = Write("pbft-typo.yaml", text);
        var line = text[..text.IndexOf("commit_latncy_s", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        var (code, _, err) = CliTests.Lab("verify", file);
        Assert.Equal(ExitCode.Invalid, code);
        Assert.Contains($"{file}:{line}:", err);
        Assert.Contains("verify.checks[0].metric: no metric 'commit_latncy_s' at this point; did you mean 'commit_latency_s'?", err);
    }

    [Fact]
    public void Bad_verify_entries_are_reported_as_file_line_col_and_nothing_runs()
    {
        var file = Path.Combine(CliTests.Root(), "tests", "Lab.Experiments.Tests", "BadInput", "40-verify-bad-entries.yaml");
        var (code, output, err) = CliTests.Lab("verify", file);
        Assert.Equal(ExitCode.Invalid, code);
        Assert.Contains(file + ":8:18: verify.checks[0].statistic: unknown statistic 'median'", err);
        Assert.Contains(file + ":13:34: verify.checks[1].metric: missing ')'", err);
        Assert.Contains(file + ":24:22: verify.checks[3].metirc: unknown key; did you mean 'metric'?", err);
        Assert.Contains("nothing was run", err);
        Assert.DoesNotContain("check(s)", output);
    }

    [Fact]
    public void A_folder_runs_its_quick_files_and_the_full_ones_only_with_full()
    {
        var folder = Directory.CreateTempSubdirectory("lab-verify").FullName;
        Write("a-quick.yaml", Pbft, folder);
        Write("b-full.yaml", ReplaceFirst(Pbft, "suite: quick", "suite: full"), folder);

        var (code, output, _) = CliTests.Lab("verify", folder);
        Assert.Equal(ExitCode.Ok, code);
        Assert.Contains("a-quick.yaml", output);
        Assert.DoesNotContain("b-full.yaml", output);
        Assert.Contains("in 1 file(s)", output);
        Assert.Contains("1 full-only file(s) skipped", output);

        var (fullCode, fullOutput, _) = CliTests.Lab("verify", folder, "--full");
        Assert.Equal(ExitCode.Ok, fullCode);
        Assert.Contains("b-full.yaml", fullOutput);
        Assert.Contains("all 12 checks passed in 2 file(s)", fullOutput);
    }

    [Fact]
    public void An_experiment_without_checks_cannot_be_verified()
    {
        var demo = Path.Combine(CliTests.Root(), "scenarios", "demo", "gossip.yaml");
        var (code, _, err) = CliTests.Lab("verify", demo);
        Assert.Equal(ExitCode.Invalid, code);
        Assert.Contains(demo + ":1:1: verify: this experiment has no verify: section", err);
    }
}
