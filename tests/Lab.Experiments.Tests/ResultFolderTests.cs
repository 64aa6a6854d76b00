using Lab.Experiments.Models;
using Lab.Experiments.Results;
using Lab.Experiments.Running;
using Lab.Experiments.Validation;
using Lab.Reports;

namespace Lab.Experiments.Tests;

/// <summary>A results folder keeps each run as it finishes, is complete only when its name says so, and resumes exactly.</summary>
public sealed class ResultFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lab-folder").FullName;
    private static readonly ResultFolder.Session Session = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), 1);

    public void Dispose() => Directory.Delete(_root, true);

    private static Experiment Demo(params string[] sets)
    {
        var d = new Diagnostics();
        var file = Path.Combine(TestModels.RepositoryRoot(), "scenarios", "demo", "gossip.yaml");
        return new ExperimentLoader(ModelRegistry.Default).Load(file, ["duration=2s", "faults=[]", .. sets], d) ?? throw new InvalidOperationException(string.Join("\n", d.Sorted()));
    }

    /// <summary>The real summary.json and metrics/ (charts and HTML left out: they are not byte-compared).</summary>
    private static void Numbers(ExperimentResult r, string folder, IReadOnlyList<KeyValuePair<string, string>> provenance)
    {
        var summary = Lab.Reports.Statistics.ExperimentSummary.Of(r);
        File.WriteAllBytes(Path.Combine(folder, "summary.json"), Lab.Reports.Writers.SummaryJson.Serialize(summary));
        var metrics = Directory.CreateDirectory(Path.Combine(folder, "metrics")).FullName;
        foreach (var (name, bytes) in Lab.Reports.Writers.MetricsCsv.Files(r, summary)) File.WriteAllBytes(Path.Combine(metrics, name), bytes);
    }

    private static string Bytes(string folder) =>
        Convert.ToBase64String(File.ReadAllBytes(Path.Combine(folder, "summary.json"))) + "\n" +
        string.Join("\n", Directory.GetFiles(Path.Combine(folder, "metrics")).Order(StringComparer.Ordinal).Select(f => Path.GetFileName(f) + " " + Convert.ToBase64String(File.ReadAllBytes(f))));

    [Fact]
    public void The_folder_exists_before_any_run_and_says_it_is_incomplete_until_assembled()
    {
        var e = Demo("replications=2");
        var folder = ResultFolder.Create(e, _root, ["duration=2s"], Session);
        Assert.Equal(Path.Combine(_root, "gossip-partition", "20260102-030405-seed1-incomplete"), folder.Path);
        Assert.Equal(e.SourceText, File.ReadAllText(Path.Combine(folder.Path, "experiment.yaml")));
        Assert.Contains("\"complete\": false", File.ReadAllText(Path.Combine(folder.Path, "manifest.json")));
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, "runs")));

        var result = new ExperimentRunner(ModelRegistry.Default).Run(e, 1, journal: folder);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder.Path, "runs"), "*.run").Length);
        var final = folder.Complete(result, Numbers, DateTimeOffset.UnixEpoch);
        Assert.Equal(Path.Combine(_root, "gossip-partition", "20260102-030405-seed1"), final);
        Assert.False(Directory.Exists(final + "-incomplete"));
        Assert.Contains("\"complete\": true", File.ReadAllText(Path.Combine(final, "manifest.json")));
    }

    [Fact]
    public void A_folder_is_never_overwritten()
    {
        var e = Demo("replications=1");
        var first = ResultFolder.Create(e, _root, [], Session);
        var second = ResultFolder.Create(e, _root, [], Session);
        Assert.NotEqual(first.Path, second.Path);
        Assert.EndsWith("seed1-2-incomplete", second.Path);
    }

    [Fact]
    public void Results_assembled_from_kept_runs_equal_results_kept_in_memory()
    {
        var e = Demo("replications=2");
        var inMemory = new ExperimentRunner(ModelRegistry.Default).Run(e, 1);
        var folder = ResultFolder.Create(e, _root, [], Session);
        var fromDisk = new ExperimentRunner(ModelRegistry.Default).Run(e, 1, journal: folder);
        var a = Directory.CreateDirectory(Path.Combine(_root, "a")).FullName;
        Numbers(inMemory, a, []);
        var b = folder.Complete(fromDisk, Numbers, DateTimeOffset.UnixEpoch);
        Assert.Equal(Bytes(a), Bytes(b));
    }

    [Fact]
    public void A_resumed_folder_runs_only_what_is_missing_and_ends_byte_identical()
    {
        var e = Demo("replications=3");
        var whole = ResultFolder.Create(e, _root, [], Session);
        var expected = whole.Complete(new ExperimentRunner(ModelRegistry.Default).Run(e, 1, journal: whole), Numbers, DateTimeOffset.UnixEpoch);

        var broken = ResultFolder.Create(e, _root, [], Session);
        var runs = Path.Combine(broken.Path, "runs");
        // As if killed: two runs kept, one half-written under its temporary name, one damaged.
        foreach (var f in Directory.GetFiles(Path.Combine(expected, "runs"))) File.Copy(f, Path.Combine(runs, Path.GetFileName(f)));
        File.WriteAllText(Path.Combine(runs, ".tmp-point000000-rep00002.run-123-1"), "half");
        var damaged = Path.Combine(runs, "point000000-rep00001.run");
        var bytes = File.ReadAllBytes(damaged);
        File.WriteAllBytes(damaged, bytes[..(bytes.Length / 2)]);
        File.Delete(Path.Combine(runs, "point000000-rep00002.run"));

        var resumed = ResultFolder.Resume(broken.Path, e, Session with { Parallel = 2 });
        Assert.Equal(1, resumed.FinishedRuns);
        Assert.Single(resumed.Discarded);
        Assert.Contains("point000000-rep00001.run: the record is truncated or damaged", resumed.Discarded[0]);
        var progress = new Counting();
        var result = new ExperimentRunner(ModelRegistry.Default).Run(e, 2, progress, journal: resumed);
        Assert.Equal(2, progress.Finished);
        var final = resumed.Complete(result, Numbers, DateTimeOffset.UnixEpoch);
        Assert.Equal(Bytes(expected), Bytes(final));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(final, "runs")), f => Path.GetFileName(f).StartsWith('.'));
        Assert.Contains("\"sessions\"", File.ReadAllText(Path.Combine(final, "manifest.json")));
    }

    [Fact]
    public void Resuming_refuses_a_changed_experiment_another_build_and_a_complete_folder()
    {
        var e = Demo("replications=1");
        var folder = ResultFolder.Create(e, _root, [], Session);
        var other = Demo("replications=1", "chain.nodes=30");
        var changed = Assert.Throws<ResultFolderException>(() => ResultFolder.Resume(folder.Path, other, Session));
        Assert.Contains("resolves differently", changed.Message);

        var manifest = Path.Combine(folder.Path, "manifest.json");
        var text = File.ReadAllText(manifest);
        File.WriteAllText(manifest, text.Replace(LabBuild.Id, "sha256:0000"));
        var build = Assert.Throws<ResultFolderException>(() => ResultFolder.Resume(folder.Path, e, Session));
        Assert.Contains("another build of lab", build.Message);
        File.WriteAllText(manifest, text.Replace("\"lab_version\": \"" + LabBuild.Version, "\"lab_version\": \"0.0.1"));
        Assert.Contains("started by lab 0.0.1", Assert.Throws<ResultFolderException>(() => ResultFolder.Resume(folder.Path, e, Session)).Message);
        File.WriteAllText(manifest, text);

        File.WriteAllText(Path.Combine(folder.Path, "experiment.yaml"), e.SourceText + "# edited\n");
        Assert.Contains("has changed since", Assert.Throws<ResultFolderException>(() => ResultFolder.Resume(folder.Path, e, Session)).Message);
        File.WriteAllText(Path.Combine(folder.Path, "experiment.yaml"), e.SourceText);

        var final = ResultFolder.Resume(folder.Path, e, Session).Complete(new ExperimentRunner(ModelRegistry.Default).Run(e, 1), Numbers, DateTimeOffset.UnixEpoch);
        Assert.Contains("is complete: there is nothing to resume", Assert.Throws<ResultFolderException>(() => ResultFolder.ReadSource(final)).Message);
        Assert.Contains("not a results folder", Assert.Throws<ResultFolderException>(() => ResultFolder.ReadSource(_root)).Message);
    }

    [Fact]
    public void A_full_disk_while_keeping_a_run_stops_with_the_path_and_keeps_the_runs_before()
    {
        var e = Demo("replications=3");
        var disk = new FullDisk(allowedWrites: 3 + 1);   // experiment.yaml, resolved.yaml, manifest.json, then one run
        var folder = ResultFolder.Create(e, _root, [], Session, disk);
        var stopped = Assert.Throws<ExperimentStoppedException>(() => new ExperimentRunner(ModelRegistry.Default).Run(e, 1, journal: folder));
        var reason = Assert.IsType<ResultFolderException>(stopped.Reason);
        Assert.Contains("no space left on device", reason.Message);
        Assert.Contains(Path.Combine(folder.Path, "runs", "point000000-rep00001.run"), reason.Message);
        Assert.Single(Directory.GetFiles(Path.Combine(folder.Path, "runs")));
        Assert.EndsWith("-incomplete", folder.Path);
    }

    [Fact]
    public void A_full_disk_while_writing_the_report_leaves_the_folder_incomplete_and_resumable()
    {
        var e = Demo("replications=1");
        var folder = ResultFolder.Create(e, _root, [], Session);
        var result = new ExperimentRunner(ModelRegistry.Default).Run(e, 1, journal: folder);
        var error = Assert.Throws<ResultFolderException>(() => folder.Complete(result, (r, f, p) =>
        {
            Numbers(r, f, p);
            throw new IOException("No space left on device", 28);
        }, DateTimeOffset.UnixEpoch));
        Assert.Equal($"cannot write the results into {folder.Path}: no space left on device", error.Message);
        Assert.EndsWith("-incomplete", folder.Path);
        Assert.False(File.Exists(Path.Combine(folder.Path, "summary.json")));
        Assert.Equal(1, ResultFolder.Resume(folder.Path, e, Session).FinishedRuns);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("under-file")]
    [InlineData("/dev/null")]
    public void An_output_folder_that_cannot_be_one_is_refused_before_anything_runs(string kind)
    {
        var file = Path.Combine(_root, "plain.txt");
        File.WriteAllText(file, "x");
        var root = kind switch { "file" => file, "under-file" => Path.Combine(file, "out"), _ => kind };
        var error = Assert.Throws<ResultFolderException>(() => ResultFolder.Create(Demo(), root, [], Session));
        Assert.Equal(kind switch
        {
            "file" => $"--out {file}: {file} is a file, not a folder",
            "under-file" => $"--out {root}: {file} is a file, so there can be no folder under it",
            _ => "--out /dev/null: /dev/null is a file, not a folder",
        }, error.Message);
    }

    [Fact]
    public void An_unwritable_output_folder_is_refused_with_its_path()
    {
        var disk = new FullDisk(0, new UnauthorizedAccessException("Access to the path is denied."));
        var error = Assert.Throws<ResultFolderException>(() => ResultFolder.Create(Demo(), _root, [], Session, disk));
        Assert.Equal($"cannot write results under {Path.Combine(_root, "gossip-partition")}: permission denied", error.Message);
    }

    private sealed class Counting : IRunProgress
    {
        public int Finished;
        public void Started(RunSpec run) { }
        public void Advanced(RunSpec run, double fraction) { }
        void IRunProgress.Finished(RunSpec run) => Interlocked.Increment(ref Finished);
    }

    /// <summary>A disk that takes <c>allowedWrites</c> files, then fails like a full one (or with the exception given).</summary>
    private sealed class FullDisk(int allowedWrites, Exception? failure = null) : DurableFiles
    {
        private int _writes;

        public override void Write(string path, ReadOnlySpan<byte> bytes)
        {
            if (Interlocked.Increment(ref _writes) > allowedWrites) throw failure ?? new IOException("No space left on device", 28);
            base.Write(path, bytes);
        }

        public override void CreateDirectory(string path)
        {
            if (failure is not null) throw failure;
            base.CreateDirectory(path);
        }
    }
}
