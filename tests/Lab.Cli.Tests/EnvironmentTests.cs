using Lab.Cli;
using Lab.Experiments.Results;
using Lab.Reports;
using Spectre.Console;

namespace Lab.Cli.Tests;

/// <summary>
/// A bad environment (an output folder that cannot be written, a full disk, a missing or unreadable
/// preset, a folder that cannot be resumed) gives one line naming the path, found before anything runs
/// wherever it can be (exit 2), and never a stack trace or a folder that looks complete.
/// </summary>
public sealed class EnvironmentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lab-env").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Experiment(string extra = "")
    {
        var file = Path.Combine(_dir, "e.yaml");
        File.WriteAllText(file, "name: e\nduration: 1s\nnetwork: { latency: 5ms }\nchain: { protocol: gossip, nodes: 4 }\nreplications: 2\n" + extra);
        return file;
    }

    private static (int Code, string Out, string Err) Lab(DurableFiles? files, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        IAnsiConsole C(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(w), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        static void Report(ExperimentResult r, string folder, IReadOnlyList<KeyValuePair<string, string>> p) => File.WriteAllText(Path.Combine(folder, "summary.json"), "{}");
        var code = new CliApp(C(o), C(e), interactive: false, report: Report, files: files).Run(args);
        return (code, o.ToString(), e.ToString());
    }

    private static void OneLineNoTrace(string err)
    {
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", err);
        Assert.DoesNotContain("   at ", err);
        Assert.DoesNotContain("Exception", err);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("under-file")]
    [InlineData("/dev/null")]
    public void An_output_path_that_is_no_folder_is_refused_before_anything_runs(string kind)
    {
        var plain = Path.Combine(_dir, "plain");
        File.WriteAllText(plain, "x");
        var outDir = kind switch { "file" => plain, "under-file" => Path.Combine(plain, "results"), _ => kind };
        var (code, output, err) = Lab(null, "run", Experiment(), "--out", outDir);
        Assert.Equal(ExitCode.Invalid, code);
        OneLineNoTrace(err);
        Assert.Contains(kind == "/dev/null" ? "/dev/null is a file, not a folder" : plain, err);
        Assert.EndsWith("; nothing was run", err.TrimEnd());
        Assert.DoesNotContain("run(s)", output);   // not even the plan line: nothing started
    }

    [Fact]
    public void An_unwritable_output_folder_is_refused_before_anything_runs()
    {
        var (code, _, err) = Lab(new Failing(0, new UnauthorizedAccessException("Access to the path is denied.")), "run", Experiment(), "--out", Path.Combine(_dir, "out"));
        Assert.Equal(ExitCode.Invalid, code);
        OneLineNoTrace(err);
        Assert.Equal($"error: cannot write results under {Path.Combine(_dir, "out", "e")}: permission denied; nothing was run", err.Trim());
    }

    [Fact]
    public void A_disk_that_fills_up_mid_sweep_stops_with_one_line_and_leaves_a_resumable_folder()
    {
        var outDir = Path.Combine(_dir, "out");
        var (code, output, err) = Lab(new Failing(4), "run", Experiment(), "--out", outDir, "--parallel", "1", "--quiet");
        Assert.Equal(ExitCode.RunFailed, code);
        OneLineNoTrace(err);
        var folder = Directory.GetDirectories(Path.Combine(outDir, "e")).Single();
        Assert.EndsWith("-incomplete", folder);
        Assert.Contains($"cannot keep a finished run in {Path.Combine(folder, "runs", "point000000-rep00001.run")}: no space left on device", err);
        Assert.Contains($"resume with 'lab run --resume {folder}'", err);
        Assert.Equal("", output);

        var (resumed, resumedOut, resumedErr) = Lab(null, "run", "--resume", folder, "--quiet");
        Assert.True(resumed == ExitCode.Ok, resumedErr);
        Assert.Equal(folder[..^"-incomplete".Length], resumedOut.Trim());
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("folder")]
    public void A_missing_or_unreadable_preset_names_its_path(string kind)
    {
        var preset = Path.Combine(_dir, "net.yaml");
        if (kind == "folder") Directory.CreateDirectory(preset);
        var file = Path.Combine(_dir, "p.yaml");
        File.WriteAllText(file, "name: p\nduration: 1s\nnetwork: { preset: ./net.yaml }\nchain: { protocol: gossip, nodes: 4 }\n");
        var (code, _, err) = Lab(null, "run", file, "--out", Path.Combine(_dir, "out"));
        Assert.Equal(ExitCode.Invalid, code);
        Assert.Equal(kind == "missing"
            ? $"{file}:3:20: network.preset: preset file './net.yaml' not found"
            : $"{file}:3:20: network.preset: preset file {preset} is a folder, not a file", err.Split('\n')[0]);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void Resume_refuses_what_it_cannot_finish_exactly()
    {
        Assert.Contains("no such folder", Lab(null, "run", "--resume", Path.Combine(_dir, "nowhere")).Err);
        Assert.Contains("not a results folder of lab", Lab(null, "run", "--resume", _dir).Err);

        var file = Experiment();
        var outDir = Path.Combine(_dir, "out");
        var (_, done, _) = Lab(null, "run", file, "--out", outDir, "--quiet");
        var (code, _, err) = Lab(null, "run", "--resume", done.Trim());
        Assert.Equal(ExitCode.Invalid, code);
        OneLineNoTrace(err);
        Assert.Contains("is complete: there is nothing to resume", err);

        var (_, failed, _) = Lab(new Failing(3), "run", file, "--out", outDir, "--quiet");
        var folder = Directory.GetDirectories(Path.Combine(outDir, "e")).Single(d => d.EndsWith("-incomplete", StringComparison.Ordinal));
        File.AppendAllText(file, "# changed\n");
        (code, _, err) = Lab(null, "run", "--resume", folder);
        Assert.Equal(ExitCode.Invalid, code);
        OneLineNoTrace(err);
        Assert.Contains($"the experiment file {file} has changed since {folder} was started", err);

        Assert.Equal(ExitCode.Invalid, Lab(null, "run", file, "--resume", folder).Code);
    }

    [Fact]
    public void Resume_refuses_when_a_file_the_experiment_reads_has_changed()
    {
        var preset = Path.Combine(_dir, "lan.yaml");
        File.WriteAllText(preset, "latency: 5ms\n");
        var file = Path.Combine(_dir, "p.yaml");
        File.WriteAllText(file, "name: p\nduration: 1s\nnetwork: { preset: ./lan.yaml }\nchain: { protocol: gossip, nodes: 4 }\n");
        var outDir = Path.Combine(_dir, "out");
        Lab(new Failing(3), "run", file, "--out", outDir, "--quiet");
        var folder = Directory.GetDirectories(Path.Combine(outDir, "p")).Single();
        File.WriteAllText(preset, "latency: 5ms   # same value, other bytes\n");
        var (code, _, err) = Lab(null, "run", "--resume", folder);
        Assert.Equal(ExitCode.Invalid, code);
        OneLineNoTrace(err);
        Assert.Contains($"{preset}, which the experiment reads, has changed since {folder} was started", err);
    }

    /// <summary>Takes <c>allowed</c> files, then fails like a full disk (or with the exception given, at once).</summary>
    private sealed class Failing(int allowed, Exception? failure = null) : DurableFiles
    {
        private int _writes;

        public override void Write(string path, ReadOnlySpan<byte> bytes)
        {
            if (Interlocked.Increment(ref _writes) > allowed) throw failure ?? new IOException("No space left on device", 28);
            base.Write(path, bytes);
        }

        public override void CreateDirectory(string path)
        {
            if (failure is not null) throw failure;
            base.CreateDirectory(path);
        }
    }
}
