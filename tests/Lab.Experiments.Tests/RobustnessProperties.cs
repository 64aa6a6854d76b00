using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lab.Experiments.Validation;

namespace Lab.Experiments.Tests;

/// <summary>Whatever the file holds, validation ends in an experiment or in located errors, never in an exception.</summary>
public class RobustnessProperties
{
    private static readonly string Demo = File.ReadAllText(Path.Combine(TestModels.RepositoryRoot(), "scenarios", "demo", "gossip.yaml"));
    private static readonly string Folder = Directory.CreateTempSubdirectory("lab-fuzz").FullName;

    private const string Alphabet = "abc:-[]{}(),# \n\t0123456789%\"'&*!|>";

    private static bool LoadsOrExplains(string text)
    {
        var file = Path.Combine(Folder, $"f{Environment.CurrentManagedThreadId}.yaml");
        File.WriteAllText(file, text);
        var d = new Diagnostics();
        var e = new ExperimentLoader(TestModels.Registry).Load(file, [], d);
        var lines = text.Split('\n').Length;
        return e is not null
            ? !d.HasErrors
            : d.HasErrors && d.Errors.All(x => x.Mark.Line >= 0 && x.Mark.Line <= lines + 1 && x.Message.Length > 0);
    }

    [Property(MaxTest = 300)]
    public bool Random_edits_of_the_demo_never_crash_validation(int[] positions, char[] replacements)
    {
        var chars = Demo.ToCharArray().ToList();
        for (int i = 0; i < Math.Min(positions.Length, replacements.Length) && chars.Count > 0; i++)
        {
            var at = Math.Abs(positions[i] % chars.Count);
            if (replacements[i] % 3 == 0) chars.RemoveAt(at);
            else chars[at] = Alphabet[replacements[i] % Alphabet.Length];
        }
        return LoadsOrExplains(new string([.. chars]));
    }

    [Property(MaxTest = 200)]
    public bool Arbitrary_text_never_crashes_validation(NonNull<string> text) => LoadsOrExplains(text.Get);

    [Property(MaxTest = 100)]
    public bool Dropping_lines_of_the_demo_never_crashes_validation(int[] drop)
    {
        var lines = Demo.Split('\n').ToList();
        foreach (var k in drop.Take(5)) if (lines.Count > 0) lines.RemoveAt(Math.Abs(k % lines.Count));
        return LoadsOrExplains(string.Join('\n', lines));
    }
}
