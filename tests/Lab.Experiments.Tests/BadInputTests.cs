using Lab.Experiments.Validation;

namespace Lab.Experiments.Tests;

/// <summary>
/// Every file in BadInput/ must be rejected with exactly the errors in its <c>.expected</c> sidecar
/// (one <c>file:line:col: key: message</c> per line), without an exception.
/// </summary>
public class BadInputTests
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "BadInput");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Folder, "*.yaml").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    public static IReadOnlyList<string> ErrorsOf(string name)
    {
        var d = new Diagnostics();
        var loader = new ExperimentLoader(TestModels.Registry);
        var experiment = loader.Load(Path.Combine(Folder, name), [], d);
        Assert.Null(experiment);
        return [.. d.Sorted().Select(e => e.ToString().Replace(Folder + Path.DirectorySeparatorChar, ""))];
    }

    [Fact]
    public void The_corpus_has_at_least_25_files_each_with_its_expected_errors()
    {
        var files = Directory.GetFiles(Folder, "*.yaml");
        Assert.True(files.Length >= 25, $"only {files.Length} bad input files");
        foreach (var f in files) Assert.True(File.Exists(Path.ChangeExtension(f, ".expected")), $"{Path.GetFileName(f)} has no .expected file");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_bad_file_gives_exactly_its_expected_errors(string name)
    {
        var actual = ErrorsOf(name);
        var expectedPath = Path.Combine(Folder, Path.ChangeExtension(name, ".expected"));
        if (Environment.GetEnvironmentVariable("LAB_WRITE_EXPECTED") == "1")
        {
            var source = Path.Combine(TestModels.RepositoryRoot(), "tests", "Lab.Experiments.Tests", "BadInput", Path.ChangeExtension(name, ".expected"));
            File.WriteAllText(source, string.Join("\n", actual) + "\n");
            return;
        }
        var expected = File.ReadAllLines(expectedPath).Where(l => l.Length > 0).ToList();
        Assert.Equal(expected, actual);
    }
}
